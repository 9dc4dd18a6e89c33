"""The benchmark's InstantSearch visits send what InstantSearch sends."""

from __future__ import annotations

from bench.algolia_visits import FACETS, visit, visit_steps


def test_a_visit_types_letter_by_letter_then_refines_and_pages() -> None:
    steps = visit("usb kabel", "Anker", "schwarz")
    typed = [step[0]["query"] for step in steps[:-3]]
    assert typed == ["u", "us", "usb", "usb k", "usb ka", "usb kab", "usb kabe", "usb kabel"]
    assert [len(step) for step in steps[-3:]] == [2, 3, 3]  # 1 + refined facets
    assert steps[-1][0]["page"] == 1


def test_each_refined_facet_is_asked_again_without_its_own_refinement() -> None:
    main, brand, colour = visit("hülle", "Spigen", "blau")[-1]
    assert main["facets"] == list(FACETS)
    assert main["facetFilters"] == [["brand:Spigen"], ["attributes.color:blau"]]
    assert brand["facets"] == ["brand"]
    assert brand["hitsPerPage"] == 0
    assert brand["facetFilters"] == [["attributes.color:blau"]]
    assert colour["facets"] == ["attributes.color"]
    assert colour["facetFilters"] == [["brand:Spigen"]]


def test_a_query_without_facet_values_still_pages_and_the_sequence_is_reproducible() -> None:
    assert [len(step) for step in visit("xyz", None, None)] == [1, 1, 1, 1]
    texts = ["hülle", "kabel", "ladegerät"]
    top = {t: ("A", "rot") for t in texts}
    assert visit_steps(texts, top, 20, seed=3, zipf_s=1.0) == visit_steps(
        texts, top, 20, seed=3, zipf_s=1.0
    )
