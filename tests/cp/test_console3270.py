"""CP's 3270 console layout and keys, driven through the screen model the
Textual console uses (an in-process 3270), against a stand-in CP."""

import asyncio

import pytest

from cp import ds3270 as ds
from cp.console3270 import echo_text, pf_action
from tests.cp.screenkit import Display, settle
from tests.cp.termkit import FakeSystem, stand_in_vm


async def test_logon_screen_shows_system_terminal_and_an_input_area():
    d = Display()
    assert "VM/370 ONLINE--SYSTEM FAKEVM" in d.text() and "TERMINAL L0C1" in d.text()
    assert d.status() == "CP READ"
    assert d.screen.cursor == 22 * 80 and not d.screen.is_protected(22 * 80)
    assert d.screen.is_protected(23 * 80 + 61)  # the status area
    assert d.console.input_length == 139


async def test_logon_with_password_prompt_hides_the_password():
    d = Display()
    d.type("logon maint")
    assert "ENTER PASSWORD:" in d.text() and "ONLINE" not in d.text()
    attr = d.screen.fa[d.console.input_attr_pos]
    assert attr & ds.FA_DISPLAY_MASK == ds.FA_NONDISPLAY
    d.type("cpcms")
    assert "LOGON AT" in d.text() and "cpcms" not in d.text()
    assert d.screen.fa[d.console.input_attr_pos] & ds.FA_DISPLAY_MASK == 0
    assert "cpcms" not in d.console.retrieve


async def test_a_password_on_the_logon_line_is_not_echoed():
    d = Display()
    d.type("LOGON MAINT CPCMS")
    assert "LOGON MAINT" in d.text() and "CPCMS" not in d.text()
    assert echo_text("link maint 190 190 rr secret", logged_on=True) == "link maint 190 190 rr"
    assert echo_text("L * EXEC A", logged_on=True) == "L * EXEC A"  # CMS LISTFILE


async def test_output_fills_then_more_then_the_timeout_clears():
    d = Display(more_seconds=0.05)
    d.logon()
    d.type("LINES 30")
    assert d.status() == "MORE..."
    assert "LINE 019" in d.text() and "LINE 020" not in d.text()
    await settle(lambda: "LINE 030" in d.text())
    assert "LINE 019" not in d.text() and d.status() == "CP READ"


@pytest.mark.parametrize("key", [ds.AID_CLEAR, ds.AID_PA[2]])
async def test_clear_or_pa2_shows_the_next_page_at_once(key):
    d = Display()
    d.logon()
    d.type("LINES 25")
    assert d.status() == "MORE..."
    d.key(key)
    assert "LINE 025" in d.text() and "LINE 010" not in d.text()
    assert d.status() == "CP READ" and not d.screen.keyboard_locked


async def test_empty_enter_in_more_holds_until_clear():
    d = Display(more_seconds=0.05)
    d.logon()
    d.type("LINES 25")
    d.type("")
    assert d.status() == "HOLDING"
    await asyncio.sleep(0.15)
    assert "LINE 001" in d.text() and d.status() == "HOLDING"
    d.type("")  # ENTER again: MORE... again
    assert d.status() == "MORE..."
    await settle(lambda: "LINE 025" in d.text())


async def test_a_message_rings_the_alarm_and_holds():
    system = FakeSystem()
    a, b = Display(system), Display(system)
    a.logon("MAINT", "CPCMS")
    b.logon("CMSUSER", "CMSUSER")
    a.type("MSG CMSUSER HELLO THERE")
    assert "MSG FROM MAINT: HELLO THERE" in b.text()
    assert b.screen.alarm_count == 1 and b.status() == "HOLDING"
    b.key(ds.AID_CLEAR)
    assert b.status() == "CP READ" and "HELLO" not in b.text()


async def test_pa1_is_attention_to_cp():
    d = Display()
    session = d.logon()
    d.key(ds.AID_PA[1])
    assert session.attentions == 1 and not d.screen.keyboard_locked


async def test_pf12_retrieves_earlier_lines_in_turn():
    d = Display()
    d.logon()
    d.type("FIRST")
    d.type("SECOND")
    d.key(ds.AID_PF[12])
    assert d.screen.field_at_text(d.console.input_start) == "SECOND"
    d.key(ds.AID_PF[12])
    assert d.screen.field_at_text(d.console.input_start) == "FIRST"
    d.key(ds.AID_ENTER)  # sends the retrieved line
    assert d.console.session.entered[-1] == "FIRST"


async def test_pf_keys_follow_set_pfnn():
    d = Display()
    session = d.logon()
    session.vm = stand_in_vm(pf={3: "IMMED QUERY TIME", 4: "DELAYED MSG OP", 5: "RETRIEVE"})
    d.key(ds.AID_PF[3])
    assert session.entered[-1] == "QUERY TIME"
    d.key(ds.AID_PF[4])
    assert d.screen.field_at_text(d.console.input_start) == "MSG OP"
    d.key(ds.AID_PF[5])
    assert d.screen.field_at_text(d.console.input_start) == "QUERY TIME"
    d.type("TYPED", ds.AID_PF[7])  # an unset key acts as ENTER
    assert session.entered[-1] == "TYPED"
    assert pf_action("RETRIEVE") == ("RETRIEVE", "") and pf_action("Q N") == ("IMMED", "Q N")


async def test_not_accepted_while_running_with_unread_type_ahead():
    d = Display(notice_seconds=0.05)
    session = d.logon()
    session.vm = stand_in_vm(typeahead=["EARLIER"])
    d.type("RUN")
    d.type("LATER")
    assert d.status() == "NOT ACCEPTED"
    assert d.screen.field_at_text(d.console.input_start) == "LATER"
    assert "LATER" not in session.entered
    d.type("#CP Q T")  # a #CP line still goes
    assert session.entered[-1] == "#CP Q T"
    await settle(lambda: d.status() == "RUNNING")


async def test_full_screen_guest_owns_the_screen_and_hands_it_back():
    d = Display()
    session = d.logon()
    d.type("FS")
    assert d.screen.row_text(0).startswith(" FULL") and "LOGON AT" not in d.text()
    d.screen.type_text("EDIT")
    d.key(ds.AID_PF[3])
    assert ds.parse_inbound(session.fullscreen_inputs[-1]).fields == [(6, "EDIT".encode("cp037"))]
    assert "LOGON AT" in d.text() and d.status() == "CP READ"  # back to CP's layout


def reading_fullscreen(session):
    """The stand-in VM has a full-screen read outstanding (cp.console)."""
    session.vm = stand_in_vm(fullscreen_callback=object())


async def test_cp_output_during_full_screen_holds_then_clear_returns_to_the_guest():
    d = Display()
    session = d.logon()
    reading_fullscreen(session)
    d.type("FS")
    d.console.put_line("MSG FROM OPERATOR: TESTING", alarm=True)
    assert d.screen.row_text(0).startswith("MSG FROM OPERATOR: TESTING")
    assert d.status() == "HOLDING" and not d.console.fullscreen_mode
    d.key(ds.AID_CLEAR)
    assert d.console.fullscreen_mode and session.fullscreen_inputs[-1] == bytes([ds.AID_CLEAR])
    assert d.screen.row_text(0).startswith(" FULL")  # the guest wrote it again


async def test_cp_output_after_the_guest_stopped_reading_keeps_cp_layout():
    d = Display()
    d.logon()
    d.type("FS")  # no full-screen read outstanding
    d.console.put_line("Ready;")
    d.key(ds.AID_PA[2])
    assert not d.console.fullscreen_mode and d.status() == "CP READ"


async def test_pa1_in_full_screen_goes_to_the_guest_then_a_second_pa1_to_cp():
    d = Display()
    session = d.logon()
    d.type("FS")
    d.key(ds.AID_PA[1])
    assert session.fullscreen_inputs[-1] == bytes([ds.AID_PA[1]]) and d.console.fullscreen_mode
    assert session.attentions == 0
    d.key(ds.AID_PA[1])
    assert session.attentions == 1 and not d.console.fullscreen_mode
    assert d.status() == "CP READ"


async def test_logoff_shows_its_lines_then_the_logon_screen_and_logon_works_again():
    d = Display(logo_seconds=0.05)
    d.logon()
    d.type("LOGOFF")
    assert "LOGOFF AT" in d.text() and d.system.connects == 2  # a fresh session waits
    await settle(lambda: "VM/370 ONLINE" in d.text())
    d.logon()
    assert "LOGON AT" in d.text() and d.system.connects == 2


async def test_after_logoff_any_key_brings_the_logon_screen_or_a_logon_goes_straight_in():
    d = Display()
    d.logon()
    d.type("LOGOFF")
    d.key(ds.AID_CLEAR)
    assert "VM/370 ONLINE" in d.text()
    d.logon()
    d.type("LOGOFF")
    d.logon()
    assert "LOGON AT" in d.text() and "ONLINE" not in d.text()


async def test_hangup_disconnects_the_user():
    d = Display()
    d.logon()
    d.console.hangup()
    assert d.system.hangups == ["MAINT"]
    d.console.put_line("after the drop")  # no crash, nothing sent
    assert "after the drop" not in d.text()


@pytest.mark.parametrize("model", [3, 4, 5])
async def test_larger_models_grow_the_output_area(model):
    d = Display(model=model)
    rows, cols = ds.MODEL_SIZES[model]
    assert (d.screen.rows, d.screen.cols) == (rows, cols)
    d.logon()
    d.type(f"LINES {rows - 5}")
    assert d.status() == "CP READ"
    assert d.screen.row_text(rows - 3).startswith(f"LINE {rows - 5:03d}")
    assert d.console.input_length == cols + cols - 21
    d.key(ds.AID_CLEAR)  # the terminal went 24x80: redrawn
    assert (d.screen.rows, d.screen.cols) == (rows, cols)


async def test_long_lines_wrap_in_the_output_area():
    d = Display()
    d.logon()
    d.console.put_line("X" * 100)
    assert d.screen.row_text(2) == "X" * 80 and d.screen.row_text(3).startswith("X" * 20 + " ")


async def test_diagnose_58_full_screen_write_from_a_guest_reaches_the_screen(tmp_path):
    """CP's DIAGNOSE X'58' CCW X'29' (cp.diag) through the real System to the display."""
    from cp.diag import diag_58
    from cp.system import System

    d = Display(System(tmp_path, logon_delay=0.01))
    d.type("LOGON OPERATOR OPERATOR")
    vm = d.console.session.vm
    data = (
        bytes([ds.CMD_EW, 0xC3])
        + ds.order_sba(81)
        + ds.order_sf(ds.FA_PROTECTED)
        + "GUEST SCREEN".encode("cp037")
        + ds.order_sf(0)
        + ds.ORDER_IC_BYTES
    )
    vm.cpu.mem[0x2000 : 0x2000 + len(data)] = data
    ccw = (
        bytes([0x29])
        + (0x2000).to_bytes(3, "big")
        + bytes([0x20, 0])
        + len(data).to_bytes(2, "big")
    )
    vm.cpu.mem[0x1000:0x1008] = ccw
    vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x1000, 0x009
    diag_58(vm, 2, 3)
    assert d.console.fullscreen_mode and d.screen.row_text(1).startswith("  GUEST SCREEN")
    assert "LOGON AT" not in d.text() and d.screen.cursor == 95
    vm.console.write_line("MSG FROM MAINT: HI", True)  # CP output takes the screen back
    assert d.screen.row_text(0).startswith("MSG FROM MAINT: HI") and d.status() == "HOLDING"


async def test_diagnose_58_display_places_lines_and_clears_the_output_area(tmp_path):
    """CCW X'19' with a start line puts the lines at that output row; the clear
    bit (X'80') erases the output area first (System Programmer's Guide)."""
    from cp.diag import diag_58
    from cp.system import System

    d = Display(System(tmp_path, logon_delay=0.01))
    d.type("LOGON OPERATOR OPERATOR")
    vm = d.console.session.vm
    assert "LOGON AT" in d.text()

    def show(control, text):
        data = text.encode("cp037")
        vm.cpu.mem[0x2000 : 0x2000 + len(data)] = data
        vm.cpu.mem[0x1000:0x1008] = (
            bytes([0x19])
            + (0x2000).to_bytes(3, "big")
            + bytes([0x20, control])
            + len(data).to_bytes(2, "big")
        )
        vm.cpu.gpr[2], vm.cpu.gpr[3] = 0x1000, 0x009
        diag_58(vm, 2, 3)

    show(0x05, "ON ROW FIVE")  # start line 5, no clear
    assert d.screen.row_text(5).startswith("ON ROW FIVE") and "LOGON AT" in d.text()
    show(0x80 | 0x02, "AFTER A CLEAR")  # clear first, then line 2
    assert d.screen.row_text(2).startswith("AFTER A CLEAR")
    assert "LOGON AT" not in d.text() and "ON ROW FIVE" not in d.text()


async def test_typing_a_command_while_held_keeps_the_message_on_the_screen():
    system = FakeSystem()
    a, b = Display(system), Display(system)
    a.logon("MAINT", "CPCMS")
    b.logon("CMSUSER", "CMSUSER")
    a.type("MSG CMSUSER READ THIS")
    assert b.status() == "HOLDING"
    b.type("BOGUS")
    assert "READ THIS" in b.text() and "UNKNOWN CP COMMAND" in b.text()
    assert b.status() == "CP READ"
