"""The 3270 screen model on data streams, apart from both front doors
(GA23-0059: commands, WCC, orders, addresses, attributes, AIDs, Query)."""

import pytest

from cp import ds3270 as ds
from tui.screen import Screen


def e(text):
    return text.encode("cp037")


def ew(*parts, wcc=0xC3):
    return bytes([ds.CMD_EW, wcc]) + b"".join(parts)


# -- addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    "addr, encoded", [(0, b"\x40\x40"), (80, b"\xc1\x50"), (1919, b"\x5d\x7f"), (4095, b"\x7f\x7f")]
)
def test_12_bit_addresses_use_the_code_table(addr, encoded):
    assert ds.encode_address(addr) == encoded
    assert ds.decode_address(*encoded) == addr


def test_14_bit_addresses_are_binary_when_the_top_bits_are_zero():
    assert ds.decode_address(0x0D, 0x7F) == 0x0D7F
    assert ds.encode_address(5000) == bytes([5000 >> 8, 5000 & 0xFF])
    assert ds.decode_address(*ds.encode_address(5000)) == 5000


def test_sba_with_a_14_bit_address_positions_the_text():
    s = Screen(model=5)
    s.process(bytes([ds.CMD_EWA, 0xC3]) + b"\x11" + bytes([0x0D, 0x80]) + e("X"))
    assert s.rowcol(0x0D80) == divmod(0x0D80, 132)
    assert s.buffer[0x0D80] == e("X")[0]


def test_attribute_bytes_are_graphic_codes():
    assert ds.code(ds.FA_PROTECTED) == 0x60
    assert ds.code(ds.FA_PROTECTED | ds.FA_INTENSIFIED) == 0xE8
    assert ds.code(ds.FA_NONDISPLAY) == 0x4C
    assert ds.wcc(reset=True, restore=True, reset_mdt=True) == 0xC3


# -- writes ------------------------------------------------------------------------


def test_erase_write_with_fields_text_and_insert_cursor():
    s = Screen()
    s.process(
        ew(
            ds.order_sba(80),
            ds.order_sf(ds.FA_PROTECTED | ds.FA_INTENSIFIED),
            e("NAME:"),
            ds.order_sf(0),
            ds.ORDER_IC_BYTES,
            ds.order_sba(100),
            ds.order_sf(ds.FA_PROTECTED),
        )
    )
    assert s.row_text(1).startswith(" NAME: ")
    assert s.cursor == 87
    assert not s.is_protected(87) and s.is_protected(82)
    assert s.cell(82).intensified and s.cell(82).protected
    assert not s.keyboard_locked


def test_write_starts_at_the_cursor_and_keeps_the_rest():
    s = Screen()
    s.process(ew(e("HELLO"), ds.order_sba(10), ds.ORDER_IC_BYTES))
    s.process(bytes([ds.CMD_W, 0x40]) + e("XY"))
    assert s.row_text(0).startswith("HELLO     XY")


def test_wcc_alarm_and_keyboard_restore():
    s = Screen()
    s.keyboard_locked = True
    s.process(bytes([ds.CMD_W, ds.wcc(alarm=True)]) + e("A"))
    assert s.alarm_count == 1 and s.keyboard_locked
    s.process(bytes([ds.CMD_W, ds.wcc(restore=True)]))
    assert not s.keyboard_locked


def test_wcc_reset_mdt_clears_modified_flags():
    s = Screen()
    s.process(ew(ds.order_sf(0x01), e("DATA")))
    assert s.fa[0] & ds.FA_MDT
    s.process(bytes([ds.CMD_W, ds.wcc(reset_mdt=True)]))
    assert not s.fa[0] & ds.FA_MDT


def test_repeat_to_address_fills_and_wraps_to_the_stop():
    s = Screen()
    s.process(ew(ds.order_sba(78), ds.order_ra(82, e("*")[0])))
    assert s.row_text(0).endswith("**") and s.row_text(1).startswith("**  ")
    s.process(ew(ds.order_ra(0, e("-")[0])))  # stop == start: the whole buffer
    assert set(s.text().replace("\n", "")) == {"-"}


def test_repeat_to_address_takes_a_graphic_escape():
    s = Screen()
    s.process(ew(ds.order_ra(3, 0)[:-1], bytes([ds.ORDER_GE, 0xAD])))
    assert bytes(s.buffer[:3]) == b"\xad\xad\xad"


def test_erase_unprotected_to_address_spares_protected_fields():
    s = Screen()
    s.process(
        ew(
            ds.order_sf(0),
            e("AAAA"),
            ds.order_sf(ds.FA_PROTECTED),
            e("PPPP"),
            ds.order_sf(0),
            e("BBBB"),
        )
    )
    s.process(bytes([ds.CMD_W, 0x40]) + ds.order_sba(0) + ds.order_eua(15))
    assert s.row_text(0).startswith("      PPPP  ")
    assert s.cursor == 0


def test_program_tab_moves_to_the_next_unprotected_field_and_nulls_after_text():
    s = Screen()
    s.process(
        ew(
            ds.order_sf(ds.FA_PROTECTED),
            e("LABEL"),
            ds.order_sf(0),
            e("OLDOLD"),
            ds.order_sf(ds.FA_PROTECTED),
            ds.order_sba(40),
            ds.order_sf(0),
        )
    )
    s.process(
        bytes([ds.CMD_W, 0x40])
        + ds.order_sba(0)
        + ds.ORDER_PT_BYTES
        + e("NEW")
        + ds.ORDER_PT_BYTES
        + e("Z")
    )
    assert s.field_at_text(7) == "NEW"  # the rest of the field was nulled
    assert s.buffer[41] == e("Z")[0]


def test_start_field_extended_colour_highlight_and_set_attribute():
    s = Screen()
    s.process(
        ew(
            ds.order_sfe(ds.FA_PROTECTED, color=0xF2, highlight=0xF2),
            e("RED"),
            ds.order_sa(ds.XA_COLOR, 0xF6),
            e("Y"),
            ds.order_sa(ds.XA_ALL, 0),
            e("N"),
        )
    )
    assert s.cell(1).color == 0xF2 and s.cell(1).highlight == 0xF2 and s.cell(1).protected
    assert s.cell(4).color == 0xF6
    assert s.cell(5).color == 0xF2  # back to the field's colour


def test_modify_field_changes_an_existing_attribute():
    s = Screen()
    s.process(ew(ds.order_sf(0), e("X")))
    s.process(
        bytes([ds.CMD_W, 0x40, ds.ORDER_SBA])
        + ds.encode_address(0)
        + bytes([ds.ORDER_MF, 1, ds.XA_FIELD, ds.code(ds.FA_PROTECTED)])
    )
    assert s.is_protected(1)


def test_erase_all_unprotected_command():
    s = Screen()
    s.process(ew(ds.order_sf(ds.FA_PROTECTED), e("KEEP"), ds.order_sf(0x01), e("GONE")))
    s.process(bytes([ds.CMD_EAU]))
    assert s.row_text(0).startswith(" KEEP      ")
    assert s.cursor == 6 and not s.fa[5] & ds.FA_MDT


def test_ccw_command_codes_are_accepted():
    s = Screen()
    s.process(bytes([0x05, 0xC3]) + e("LOCAL"))
    assert s.row_text(0).startswith("LOCAL")


def test_bad_address_is_an_operation_check_not_a_crash():
    s = Screen()
    s.process(ew(e("OK"), ds.order_sba(1920), e("LOST")))
    assert s.operation_check and "outside" in s.operation_check
    assert s.row_text(0).startswith("OK  ")
    s.process(bytes([0x99, 0x00]))
    assert "not supported" in s.operation_check


def test_truncated_orders_are_operation_checks():
    for tail in (b"\x11\x40", b"\x3c\x40\x40", b"\x12", b"\x1d", b"\x28\x42"):
        s = Screen()
        s.process(ew(tail))
        assert s.operation_check


# -- models ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, size", [(2, (24, 80)), (3, (32, 80)), (4, (43, 80)), (5, (27, 132))]
)
def test_models_erase_write_alternate_uses_the_model_size(model, size):
    s = Screen(model=model)
    s.process(ew(e("X")))
    assert (s.rows, s.cols) == (24, 80)
    s.process(bytes([ds.CMD_EWA, 0xC3]) + ds.order_sba(size[0] * size[1] - 1) + e("Z"))
    assert (s.rows, s.cols) == size
    assert s.row_text(size[0] - 1).endswith("Z")


def test_unknown_model_is_refused():
    with pytest.raises(ValueError):
        Screen(model=6)


# -- inbound -------------------------------------------------------------------------


def test_read_modified_sends_modified_fields_without_nulls():
    s = Screen()
    s.process(
        ew(
            ds.order_sba(20 * 80 + 12),
            ds.order_sf(0),
            ds.ORDER_IC_BYTES,
            ds.order_sba(20 * 80 + 30),
            ds.order_sf(ds.FA_PROTECTED),
            ds.order_sba(21 * 80 + 12),
            ds.order_sf(ds.FA_NONDISPLAY),
            ds.order_sba(21 * 80 + 30),
            ds.order_sf(ds.FA_PROTECTED),
        )
    )
    s.type_text("maint")
    s.tab()
    s.type_text("secret")
    record = s.aid(ds.AID_ENTER)
    assert record[0] == ds.AID_ENTER
    assert record[3:] == (
        ds.order_sba(20 * 80 + 13) + e("maint") + ds.order_sba(21 * 80 + 13) + e("secret")
    )
    inbound = ds.parse_inbound(record)
    assert inbound.name == "ENTER" and inbound.cursor == 21 * 80 + 19
    assert inbound.fields == [(1613, e("maint")), (1693, e("secret"))]
    assert s.keyboard_locked and not s.type_char("x")
    assert s.row_text(21).strip() == ""  # the non-display field shows nothing


def test_unformatted_screen_read_modified_sends_all_text():
    s = Screen()
    s.process(ew())
    s.type_text("HI")
    inbound = ds.parse_inbound(s.aid(ds.AID_ENTER))
    assert inbound.fields == [(0, e("HI"))]


@pytest.mark.parametrize("aid", [ds.AID_CLEAR, *ds.AID_PA.values()])
def test_clear_and_pa_keys_make_short_reads(aid):
    s = Screen()
    s.process(ew(ds.order_sf(0), e("TYPED")))
    s.type_text("x")
    assert s.aid(aid) == bytes([aid])
    assert ds.parse_inbound(bytes([aid])).cursor is None


@pytest.mark.parametrize("n", range(1, 25))
def test_every_pf_key_sends_its_aid_with_cursor_and_fields(n):
    s = Screen()
    s.process(ew(ds.order_sf(0), ds.ORDER_IC_BYTES))
    s.type_text("A")
    inbound = ds.parse_inbound(s.aid(ds.AID_PF[n]))
    assert inbound.name == f"PF{n}" and inbound.fields == [(1, e("A"))]


def test_aid_names():
    assert ds.aid_name(0x7D) == "ENTER" and ds.aid_name(0x6D) == "CLEAR"
    assert ds.aid_name(0x6B) == "PA3" and ds.aid_name(0x4C) == "PF24"


def test_clear_erases_and_returns_to_the_default_size():
    s = Screen(model=4)
    s.process(bytes([ds.CMD_EWA, 0xC3]) + e("BIG"))
    s.aid(ds.AID_CLEAR)
    assert (s.rows, s.cols) == (24, 80) and s.text().strip() == ""


def test_read_buffer_and_read_modified_commands_answer_from_the_terminal():
    s = Screen()
    s.process(ew(ds.order_sf(ds.FA_PROTECTED), e("AB")))
    rb = s.process(bytes([ds.CMD_RB]))
    assert rb[3:7] == bytes([ds.ORDER_SF, 0x60]) + e("AB")
    assert len(rb) == 3 + 2 + 1919  # SF + attribute, then 1919 data bytes
    s.type_char("x")  # protected: refused
    assert s.process(bytes([ds.CMD_RM]))[0] == ds.AID_NONE


# -- query -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", [2, 3, 4, 5])
def test_query_reply_announces_the_size_and_colours(model):
    s = Screen(model=model)
    reply = s.process(ds.QUERY_REQUEST)
    inbound = ds.parse_inbound(reply)
    assert inbound.aid == ds.AID_SF
    ids = [sfid for sfid, _ in inbound.structured]
    assert ids[0] == 0x8180
    summary = inbound.structured[0][1]
    assert set(summary) == {i & 0xFF for i in ids[1:]}
    assert ds.query_reply_size(inbound) == ds.MODEL_SIZES[model]
    assert ds.query_reply_color(inbound)


def test_query_reply_without_colour_for_a_monochrome_terminal():
    inbound = ds.parse_inbound(Screen(extended=False).process(ds.QUERY_REQUEST))
    assert not ds.query_reply_color(inbound)
    assert ds.query_reply_size(inbound) == (24, 80)


def test_wsf_outbound_3270ds_and_erase_reset():
    s = Screen(model=3)
    s.process(bytes([ds.CMD_WSF, 0x00, 0x04, 0x03, 0x80]))  # Erase/Reset alternate
    assert (s.rows, s.cols) == (32, 80)
    body = bytes([0x40, 0x00, ds.CMD_W, 0xC3]) + e("SF")
    s.process(bytes([ds.CMD_WSF]) + (len(body) + 2).to_bytes(2, "big") + body)
    assert s.row_text(0).startswith("SF")


# -- keyboard ----------------------------------------------------------------------------


def form():
    s = Screen()
    s.process(
        ew(
            ds.order_sf(ds.FA_PROTECTED),
            e("A:"),
            ds.order_sf(0),
            ds.order_sba(10),
            ds.order_sf(ds.FA_PROTECTED),
            e("B:"),
            ds.order_sf(ds.FA_NUMERIC),
            ds.order_sba(20),
            ds.order_sf(ds.FA_PROTECTED | ds.FA_NUMERIC),
        )
    )
    return s


def test_tab_backtab_and_home_move_between_unprotected_fields():
    s = form()
    s.home()
    assert s.cursor == 4
    s.tab()
    assert s.cursor == 14
    s.tab()
    assert s.cursor == 4
    s.backtab()
    assert s.cursor == 14
    s.cursor = 16
    s.backtab()
    assert s.cursor == 14


def test_typing_into_protected_or_numeric_fields_is_refused():
    s = form()
    s.cursor = 1
    assert not s.type_char("x")
    s.cursor = 14
    assert not s.type_char("x") and s.type_char("7")


def test_typing_skips_over_a_protected_field_at_the_end():
    s = form()
    s.cursor = 4
    s.type_text("ABCDEF")
    assert s.cursor == 14  # auto-skip to the next unprotected field


def test_insert_mode_shifts_right_and_refuses_when_full():
    s = form()
    s.cursor = 4
    s.type_text("AC")
    s.cursor = 5
    s.toggle_insert()
    assert s.type_char("B")
    assert s.field_at_text(4) == "ABC"
    s.type_text("DEF")
    assert s.field_at_text(4) == "ABDEFC"
    assert not s.type_char("G")  # the field is full


def test_delete_backspace_and_erase_eof():
    s = form()
    s.cursor = 4
    s.type_text("ABCD")
    s.cursor = 5
    s.delete()
    assert s.field_at_text(4) == "ACD"
    s.cursor = 6
    s.backspace()
    assert s.field_at_text(4) == "AD" and s.cursor == 5
    s.erase_eof()
    assert s.field_at_text(4) == "A"
    s.erase_input()
    assert s.field_at_text(4) == "" and s.cursor == 4 and not s.fa[3] & ds.FA_MDT
