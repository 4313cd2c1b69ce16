"""Names that moved or changed in 0.2 keep working until 0.3, each with a DeprecationWarning naming the new one."""

import pytest

import npt_coder.agreement as ag
import npt_coder.review as rv
from npt_coder.agreement import agreement_table, multi_coder_table
from npt_coder.errors import NptCoderError

from .test_study import code, coded, sp, study  # noqa: F401 (fixtures)


@pytest.mark.parametrize("name", ["DECISIONS", "REVIEW_COLUMNS", "disagreements", "reconcile", "review_workbook"])
def test_review_names_moved_from_agreement_warn_and_still_work(name):
    with pytest.warns(DeprecationWarning, match=rf"npt_coder\.agreement\.{name} moved to npt_coder\.review\.{name}"):
        old = getattr(ag, name)
    assert old is getattr(rv, name)
    assert name not in ag.__all__


def test_old_review_import_warns_and_still_works():
    with pytest.warns(DeprecationWarning, match="npt_coder.review.disagreements"):
        from npt_coder.agreement import disagreements
    assert disagreements is rv.disagreements


def test_agreement_units_old_name_warns_and_keeps_its_values():
    with pytest.warns(DeprecationWarning, match="AGREEMENT_UNITS"):
        old = ag.UNITS
    assert old == ("segment", "character", "document", "overlap") == ag.COMPARISONS
    assert ag.AGREEMENT_UNITS == ("turn", "paragraph", "sentence", "character", "document", "overlap")


def test_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'kappa'"):
        ag.kappa  # noqa: B018


def test_segment_unit_keyword_warns_and_gives_the_same_table(coded):
    new = agreement_table(coded, coders=["A", "B"], unit="sentence", ci=None)
    with pytest.warns(DeprecationWarning, match=r"segment_unit='sentence' is deprecated .* unit='sentence'"):
        old = agreement_table(coded, coders=["A", "B"], unit="segment", segment_unit="sentence", ci=None)
    assert old.equals(new)
    with pytest.warns(DeprecationWarning, match=r"unit='segment' is deprecated .* unit='paragraph'"):
        default = agreement_table(coded, coders=["A", "B"], unit="segment", ci=None)
    assert default.equals(agreement_table(coded, coders=["A", "B"], ci=None))
    with pytest.warns(DeprecationWarning, match="segment_unit"):  # a non-segment unit keeps its meaning
        doc = agreement_table(coded, coders=["A", "B"], unit="document", segment_unit="sentence", ci=None)
    assert doc.equals(agreement_table(coded, coders=["A", "B"], unit="document", ci=None))


def test_segment_unit_keyword_of_multi_coder_table_and_disagreements(coded):
    code(coded, [("T1", "C", "M1.1", "One two.")])
    with pytest.warns(DeprecationWarning, match="unit='sentence'"):
        old = multi_coder_table(coded, coders=["A", "B", "C"], segment_unit="sentence")
    assert old.equals(multi_coder_table(coded, coders=["A", "B", "C"], unit="sentence"))
    with pytest.warns(DeprecationWarning, match="unit='sentence'"):
        found = rv.disagreements(coded, "A", "B", segment_unit="sentence")
    assert found.unit == "sentence" and found.table.equals(rv.disagreements(coded, "A", "B", unit="sentence").table)
    with pytest.raises(NptCoderError, match="unit must be one of turn, paragraph, sentence"):
        rv.disagreements(coded, "A", "B", unit="document")
