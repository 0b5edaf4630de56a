"""The one abbreviation rule CP and CMS share (cp.abbrev)."""

from cp.abbrev import abbreviates, full_name, match


def test_a_word_abbreviates_a_name_from_its_minimum_to_its_length():
    assert abbreviates("q", "QUERY", 1) and abbreviates("QUERY", "QUERY", 1)
    assert not abbreviates("QUERYX", "QUERY", 1)
    assert not abbreviates("LI", "LINK", 4) and abbreviates("link", "LINK", 4)


def test_tables_give_the_first_row_a_word_names():
    table = (("PRINTER", 1, "PRT"), ("PUNCH", 2, "PUN"))
    assert match("P", table) == "PRT" and match("PU", table) == "PUN"
    assert match("X", table) is None
    assert full_name("clea", (("CLEAR", 2), ("CLOSE", 2))) == "CLEAR"
    assert full_name("C", (("CLEAR", 2),)) is None


def test_cms_ending_commands_use_cps_minimums():
    """SYSTEM R is not a CP command (RESET needs three letters): CMS does not
    take it for one that ends the machine."""
    from cms.nucleus import ends_machine

    assert ends_machine("SYSTEM RES") and ends_machine("sys clear")
    assert not ends_machine("SYSTEM R")
    assert ends_machine("LOGOFF") and not ends_machine("LO")
