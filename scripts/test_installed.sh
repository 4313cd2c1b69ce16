#!/usr/bin/env bash
# Run the test suite against the built wheel, installed (not editable) into a fresh virtual environment, the way a
# user gets npt-coder. Called by `make test`; one argument says which environment:
#   newest     the newest releases of every dependency pip resolves, with the optional suggestion model (what
#              `pip install 'npt-coder[assist]'` gives today; PyTorch first, as $TORCH, default its CPU build)
#   oldest     every declared dependency at its lower bound (constraints generated from pyproject.toml), without
#              the optional suggestion model (its tests are collected only where it is installed)
#   reference  the newest that irrCAC allows, plus irrCAC, for the comparisons in tests/reference_irrcac only
#              (irrCAC pins pandas<3 and an old SciPy, so it never enters the other two environments)
# Extra arguments go to pytest.
set -euo pipefail
mode=$1; shift
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
wheel=$(ls dist/npt_coder-*.whl | tail -n 1)
# outside the checkout, so pytest never mistakes the installed package for a folder of the repository
venv=${NPT_CODER_TEST_VENVS:-${TMPDIR:-/tmp}/npt-coder-test-$(pwd | sha1sum | cut -c1-10)}/venv-$mode
mkdir -p build
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
case $mode in
  newest)    "$venv/bin/python" -m pip install --quiet "${TORCH:-torch==2.13.0}"
             "$venv/bin/python" -m pip install --quiet "$wheel[test,assist]" ;;
  oldest)    "$python" scripts/oldest_constraints.py --extra test > build/constraints-oldest.txt
             "$venv/bin/python" -m pip install --quiet -c build/constraints-oldest.txt "$wheel[test]" ;;
  reference) "$venv/bin/python" -m pip install --quiet "$wheel[test]" "irrCAC>=0.4.4" ;;
  *) echo "usage: $0 newest|oldest|reference [pytest args]" >&2; exit 2 ;;
esac
"$venv/bin/python" - "$mode" <<'PY'
import sys, importlib.metadata as m
names = ["pandas", "numpy", "spacy", "plotly", "kaleido", "openpyxl", "python-docx", "lxml", "typer", "scikit-learn",
         "sentence-transformers", "torch"]
def version(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return "not installed"
print(f"== {sys.argv[1]} environment: Python {sys.version.split()[0]}; "
      + ", ".join(f"{n} {version(n)}" for n in names))
PY
# The installed package, not the checkout: pytest's console script does not put the working folder on sys.path
# (import mode "importlib"), and NPT_CODER_TEST_INSTALLED makes tests/test_installed.py assert it.
export NPT_CODER_TEST_INSTALLED=1
if [ "$mode" = reference ]; then
  exec "$venv/bin/pytest" -p no:cacheprovider tests/reference_irrcac tests/test_installed.py "$@"
else
  exec "$venv/bin/pytest" -p no:cacheprovider tests --ignore=tests/reference_irrcac --pyargs npt_coder "$@"
fi
