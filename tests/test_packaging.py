import re
import tomllib

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0]


def test_environment_yml_lists_the_same_packages_as_pyproject():
    # Exact names, not folded: conda-forge does not fold `_` into `-` as pip does (lxml-html-clean).
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    text = (ROOT / "environment.yml").read_text("utf-8")
    lines = text.split("dependencies:", 1)[1].splitlines()
    conda = {_name(line.strip()[2:]) for line in lines if re.match(r"^  - [a-zA-Z][\w.-]*(?:[<>=]|$)", line)}
    pip = {_name(line.strip()[2:]) for line in lines if re.match(r"^      - [a-zA-Z][\w.-]*(?:[<>=]|$)", line)}
    assert (conda - {"python", "pip"}) | pip == wanted
    assert not conda & pip


def test_environment_yml_says_how_to_register_the_kernel():
    assert "ipykernel install --sys-prefix --name newsframe" in (ROOT / "environment.yml").read_text("utf-8")


def test_the_package_data_exists():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    for package, patterns in data.items():
        folder = ROOT / "lib" / package.replace(".", "/")
        assert all(list(folder.glob(pattern)) for pattern in patterns), (package, patterns)


def test_readme_names_every_dependency():
    readme = (ROOT / "README.md").read_text("utf-8").lower()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    missing = [r for r in project["dependencies"] if _name(r).lower() not in readme.replace("_", "-")]
    assert not missing, f"README.md must justify each dependency: {missing}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in (ROOT / "README.md").read_text("utf-8")
