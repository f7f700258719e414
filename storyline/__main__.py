import sys

from .cli import main

if __name__ == "__main__":  # Dask's worker processes re-import this module (spawn): run nothing then
    sys.exit(main())
