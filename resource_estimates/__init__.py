"""Costing: bloqs -> logical counts -> physical estimates -> reports."""
