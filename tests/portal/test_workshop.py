
import nbformat

from partages_core.portal.workshop import STUDENT_PLACEHOLDER, build_wheelhouse, build_workshop, student_version


def test_student_notebooks_lose_solutions_instructors_keep_them(tmp_path):
    kit = build_workshop(tmp_path / "kit", wheelhouse=False, log=lambda *_: None)
    student = nbformat.read(kit / "student" / "08_reuse_the_commons.ipynb", as_version=4)
    teacher = nbformat.read(kit / "instructor" / "08_reuse_the_commons.ipynb", as_version=4)
    tagged = [i for i, c in enumerate(teacher.cells) if "solution" in c.metadata.get("tags", [])]
    assert tagged
    for i in tagged:
        assert student.cells[i].source == STUDENT_PLACEHOLDER
        assert "value_counts" in teacher.cells[i].source
    plan = (kit / "timing.md").read_text()
    assert "| 08_reuse_the_commons |" in plan and "| 00_corpus_and_annotation |" in plan


def test_student_version_counts_removed_cells():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]}),
                                         nbformat.v4.new_code_cell("y = 2")])
    out, removed = student_version(nb)
    assert removed == 1 and out.cells[1].source == "y = 2" and nb.cells[0].source == "x = 1"


def test_wheelhouse_holds_the_project_wheel(tmp_path):
    house = build_wheelhouse(tmp_path / "wheels", deps=False, log=lambda *_: None)
    assert [p.name for p in house.glob("partages_core-*.whl")]
