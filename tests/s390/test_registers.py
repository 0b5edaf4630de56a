"""CPU.gpr: the general registers as a sequence of unsigned words, the same
in both builds (compiled, the registers are an array inside the CPU object
and gpr a view of them; uncompiled, the view indexes an array)."""

import pytest


def test_registers_read_and_set_by_index_and_slice(cpu_module):
    cpu = cpu_module.CPU(storage_size=4096)
    gpr = cpu.gpr
    gpr[3] = 7
    gpr[-1] = 0xFFFFFFFF
    assert len(gpr) == 16
    assert gpr[3] == 7 and gpr[15] == 0xFFFFFFFF and gpr[-13] == 7
    assert gpr[2:5] == [0, 7, 0]
    assert list(gpr) == [0, 0, 0, 7] + [0] * 11 + [0xFFFFFFFF]
    assert list(cpu.gpr) == list(gpr)  # a view: a new one sees the same registers


def test_a_register_set_from_python_is_what_the_program_sees(cpu_module):
    """LR 2,1 ; LPSW of a disabled wait: R1 set through gpr is copied."""
    cpu = cpu_module.CPU(storage_size=4096)
    cpu.mem[0x100:0x108] = bytes.fromhex("0002000000000000")
    cpu.mem[0x200:0x206] = bytes.fromhex("182182000100")
    cpu.gpr[1] = 0x12345678
    cpu.load_psw(bytes.fromhex("0000000000000200"))
    assert cpu.run(10) == cpu_module.EXIT_DISABLED_WAIT
    assert cpu.gpr[2] == 0x12345678


@pytest.mark.parametrize("index", [16, -17, 100])
def test_a_register_number_out_of_range_is_an_index_error(cpu_module, index):
    cpu = cpu_module.CPU(storage_size=4096)
    with pytest.raises(IndexError):
        cpu.gpr[index]
    with pytest.raises(IndexError):
        cpu.gpr[index] = 1


@pytest.mark.parametrize("value", [-1, 1 << 32])
def test_a_value_that_is_not_a_word_is_an_overflow_error(cpu_module, value):
    cpu = cpu_module.CPU(storage_size=4096)
    with pytest.raises(OverflowError):
        cpu.gpr[4] = value
    assert cpu.gpr[4] == 0
