"""``qntk-compile simulate``: run a variant's gate-level circuit on a small instance.

Argparse plus one call: :class:`qntk_compile.jobs.simulation_request.SimulationRequest` loads the
data (``--dataset sphere|digits-A-B|mnist-A-B`` or ``--data FILE.npz``), refuses a size it cannot
simulate from n and d alone, builds the problem, plans the knobs for ``--failure-probability`` and
runs :func:`qntk_compile.jobs.simulate.simulate_problem`: the variant's bloq (for ``diagonal`` the
very ``DiagonalNTK`` that ``qntk-compile report`` costs) simulated as a state vector (qsim when
installed) beside the discretised and the exact references (``docs/simulation.md``). Readout
(Algorithm 1 lines 7–12, Lemma III.7): ``p_readout = Pr(ancilla = 0 | flag = 0)``,
``sign = sign(p_readout − 1/2)``, ``p_success = 2·Pr(flag = 0) − 1`` estimates ``P/n``.

Every error (bad files, shapes, non-finite values, circuits too wide for ``--max-qubits`` or the
memory, or with more than ``--max-gates`` gates) is one line on stderr with exit code 2, raised
before anything is flattened or allocated.
"""

from __future__ import annotations

import sys
from typing import Any  # noqa: F401

from qntk_compile.cli import data_access_choices
from qntk_compile.cli.arg_types import features_arg, knob_type, nonneg_int, positive_int
from qntk_compile.data.features import AUTO_FEATURES, AUTO_MAX_FEATURES
from qntk_compile.jobs.simulate import DEFAULT_MAX_GATES, DEFAULT_MAX_QUBITS, DEFAULT_MAX_SECONDS
from qntk_compile.jobs.simulation_request import DEFAULT_N, SimulationRequest, knob_flags
from qntk_compile.variants.registry import SIMULATION_VARIANTS
from resource_estimates.variants.registry import KNOB_SPECS

COMMAND = "simulate"
HELP = (
    "Simulate a variant's gate-level circuit (default DiagonalNTK) on a small instance; compare "
    "with references."
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--variant",
        choices=tuple(SIMULATION_VARIANTS),
        default="diagonal",
        help="which Algorithm-1 circuit to simulate (default diagonal: DiagonalNTK)",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--dataset",
        metavar="NAME",
        help="built-in data set: 'sphere' (default), 'digits-A-B' (e.g. digits-8-9) or 'mnist-A-B'",
    )
    src.add_argument(
        "--data", metavar="FILE", help="a .npz file with arrays X (n x d), y (+-1), x_test"
    )
    parser.add_argument(
        "--n",
        type=positive_int,
        default=None,
        help=f"training rows (default {DEFAULT_N}; with --data: all rows of X)",
    )
    parser.add_argument("--d", type=positive_int, default=2, help="sphere dimension (default 2)")
    parser.add_argument(
        "--seed",
        type=nonneg_int,
        default=None,
        help="data seed (default 0; sparsified variant: 18)",
    )
    parser.add_argument(
        "--test-index",
        type=nonneg_int,
        default=0,
        help="which test point (row of x_test / of the held-out set), default 0",
    )
    parser.add_argument(
        "--features",
        type=features_arg,
        default="auto",
        metavar="K",
        help=f"project onto the top-K principal directions of the training rows; 'auto' "
        f"(default): K={AUTO_FEATURES} if there are more than {AUTO_MAX_FEATURES} features; "
        "'none': never",
    )
    parser.add_argument(
        "--depth",
        default=None,
        metavar="L",
        help="NTK depth: an integer, 'conv' or 'conv/10' (default, as in the paper; sparsified "
        "variant on the default sphere instance: 3, where the solve matters)",
    )
    for name, default in knob_flags().items():
        spec = KNOB_SPECS.get(name)
        text = spec.help if spec is not None else name.replace("_", " ")
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            type=knob_type(name),
            default=None,
            help=f"{text} (default {'per variant' if default is None else default})",
        )
    parser.add_argument(
        "--delta-hat",
        type=float,
        default=None,
        help="separability estimate giving k_max = k(1 - delta_hat) (default: the data's delta)",
    )
    parser.add_argument(
        "--data-access",
        choices=data_access_choices(),
        metavar="KIND",
        default=None,
        help="data-access bloq of the loaders (default qrom; an option of the variant)",
    )
    parser.add_argument(
        "--amplification-rounds",
        type=nonneg_int,
        default=None,
        metavar="R",
        help="Grover rounds on the kernel flag (AmplifiedTestKernel); default 0 (post-selection; "
        "an option of the variant)",
    )
    parser.add_argument(
        "--simulator",
        choices=("auto", "qsim", "cirq"),
        default="auto",
        help="state-vector simulator (default auto: qsim if installed, else cirq)",
    )
    parser.add_argument(
        "--max-qubits",
        type=positive_int,
        default=DEFAULT_MAX_QUBITS,
        help=f"refuse wider circuits (default {DEFAULT_MAX_QUBITS})",
    )
    parser.add_argument(
        "--max-gates",
        type=positive_int,
        default=DEFAULT_MAX_GATES,
        help=f"refuse circuits with more gates (QECGatesCost; default {DEFAULT_MAX_GATES})",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=DEFAULT_MAX_SECONDS,
        help="refuse a circuit whose predicted state-vector time exceeds this "
        f"(default {DEFAULT_MAX_SECONDS:g})",
    )
    parser.add_argument(
        "--failure-probability",
        type=float,
        default=None,
        metavar="P",
        help="choose the knobs not given by flags with the error model so that the readout's "
        "sign is wrong with probability <= P (diagonal variant); prints them and the shots",
    )
    parser.add_argument(
        "--plan-only",
        action="store_true",
        help="with --failure-probability: print the chosen knobs, do not simulate",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    request = SimulationRequest.from_options(vars(args))
    result = request.run(stream=sys.stderr)
    print(request.text(result, as_json=args.json))
    return 0
