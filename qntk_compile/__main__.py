import sys

from qntk_compile.cli import main

sys.exit(main())
