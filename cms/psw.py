"""The PSWs the CMS nucleus shows as its own (CP's DISPLAY PSW)."""

#: The PSW of the virtual machine while CMS's own code runs (what CP's
#: DISPLAY PSW shows during an EXEC or a command): BC mode, enabled for I/O
#: and external interruptions (system mask X'FF'), key 0, supervisor state,
#: in the nucleus.  While CMS waits for a console line (VM READ) the wait bit
#: is on too: an enabled wait for the console's interruption.
NUCLEUS_PSW = bytes.fromhex("FF00000000003000")
CONSOLE_WAIT_PSW = bytes.fromhex("FF02000000003000")
