"""Arbitrary bytes never crash the screen model or the inbound parser: a
bad data stream is an operation check, as on a real 3270."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cp import ds3270 as ds
from tui.screen import Screen

commands = st.sampled_from([ds.CMD_W, ds.CMD_EW, ds.CMD_EWA, ds.CMD_WSF, ds.CMD_EAU, 0x05, 0x01])


@settings(max_examples=300, deadline=None)
@given(commands, st.binary(max_size=300), st.sampled_from([2, 3, 4, 5]))
def test_any_outbound_record_is_processed_or_checked(command, body, model):
    s = Screen(model=model)
    s.process(bytes([command]) + body)
    assert 0 <= s.cursor < s.size and len(s.buffer) == s.size
    assert all(0 <= p < s.size for p in s.fa)
    s.text()
    ds.parse_inbound(s.aid(ds.AID_ENTER))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_inbound_record_parses(record):
    inbound = ds.parse_inbound(record)
    assert all(isinstance(a, int) for a, _ in inbound.fields)
    ds.query_reply_size(inbound)
