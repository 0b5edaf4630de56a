"""Instruction fetches check access once per 2K block; the CPU remembers the
current and the previous block (an interruption handler and the program it
returns to).  A new PSW key or a new storage key forgets both: the next
fetch is checked under the new key (PoO 3, "Protection": fetch protection
applies to instruction fetches too)."""

from s390 import lowcore as lc

PROGRAM = 0x1000  # block 2
HANDLER = 0x3000  # block 6


def machine(cpu_module, return_key, handler_key=0):
    """A key-1 program in a fetch-protected key-1 block calls SVC 1 twice; the
    handler (PSW key ``handler_key``) returns with LPSW of the SVC old PSW,
    its key replaced by ``return_key``."""
    cpu = cpu_module.CPU(storage_size=1 << 16)
    cpu.program_intercept = True
    cpu.keys[PROGRAM >> 11] = 0x18  # key 1, fetch-protected
    # program: SVC 1 ; SVC 1 ; DIAGNOSE (the end)
    cpu.mem[PROGRAM : PROGRAM + 8] = bytes.fromhex("0A01 0A01 83000000".replace(" ", ""))
    # handler: NI X'21',X'0F' (clear the old PSW's key) ; OI X'21',key ; LPSW X'20'
    handler = f"9400 0021 96{return_key << 4:02X} 0021 8200 0020".replace(" ", "")
    cpu.mem[HANDLER : HANDLER + 12] = bytes.fromhex(handler)
    new_psw = bytes([0, handler_key << 4, 0, 0]) + HANDLER.to_bytes(4, "big")
    cpu.mem[lc.SVC_NEW_PSW : lc.SVC_NEW_PSW + 8] = new_psw
    cpu.load_psw(bytes([0, 0x10, 0, 0]) + PROGRAM.to_bytes(4, "big"))  # key 1
    return cpu


def test_return_with_the_same_key_fetches_from_the_remembered_block(cpu_module):
    cpu = machine(cpu_module, 1)
    assert cpu.run(100) == cpu_module.EXIT_DIAG
    assert cpu.instructions == 2 * 4 + 1


def test_return_with_another_key_checks_the_fetch_again(cpu_module):
    cpu = machine(cpu_module, 2)
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM
    assert cpu.exit_code == 4  # protection: block 2 is fetch-protected from key 2
    assert cpu.get_psw()[1] >> 4 == 2


def test_a_new_storage_key_checks_the_fetch_again(cpu_module):
    """The handler, in the program's PSW key, changes the program block's
    storage key (SSK) and returns: the next fetch is protected."""
    cpu = machine(cpu_module, 1, handler_key=1)
    # handler: LA 2,X'800' ; LA 2,X'800'(2) ; LA 3,X'28' (key 2, fetch-protected) ;
    # SSK 3,2 ; LPSW X'20'
    handler = bytes.fromhex("41200800 41202800 41300028 0832 82000020".replace(" ", ""))
    cpu.mem[HANDLER : HANDLER + len(handler)] = handler
    assert cpu.run(100) == cpu_module.EXIT_PROGRAM
    assert cpu.exit_code == 4
