"""IPL and the system reset of a virtual machine (VM/370 CP Command Reference
for General Users, IPL and SYSTEM).

IPL follows the initial program loading of GA22-7000 ("Initial Program
Loading"): a system reset, then the channel reads 24 bytes from the IPL
device into location 0 as if by a READ CCW with command chaining, the CCWs
at 8 and 16 continue the program, the device address is stored at 2 and the
PSW is loaded from 0.  A named system (``IPL CMS``) is started as the VM's
guest coroutine instead.  The IPL command (cp.commands.machine) and the
directory's IPL statement at LOGON (cp.system) both come here.
"""

from __future__ import annotations

from cp import channel
from cp.errors import CommandError
from cp.vm import reset_cpu, set_adstop
from s390.ebcdic import to_ebcdic

IPL_CCW = bytes([0x02, 0, 0, 0, 0x60, 0, 0, 24])  # READ 24 bytes at 0, CC + SLI
PARM_MAX = 64


def ipl(
    vm, target: str, parm: str = "", clear: bool = False, stop: bool = False, reply=None
) -> int:
    """IPL a device (hex address) or a named system for ``vm``."""
    system = vm.system
    name = target.upper()
    if name in system.named_systems:
        set_adstop(vm, None)  # an IPL removes the address stop (ADSTOP)
        system.dispatcher.stop_guest(vm)
        if clear:
            reset_cpu(vm.cpu, clear=True)
        vm.ipled = name
        _stop_or_go(vm, stop)
        system.dispatcher.start_named(vm, system.named_systems[name], parm)
        return 0
    try:
        vaddr = int(name, 16)
    except ValueError:
        raise CommandError(f"DMKCFG040E DEV {name} DOES NOT EXIST", 40) from None
    if vaddr not in vm.devices:
        raise CommandError(f"DMKCFG040E DEV {vaddr:03X} DOES NOT EXIST", 40)
    return ipl_device(vm, vaddr, parm, clear, stop, reply)


def ipl_device(vm, vaddr: int, parm: str, clear: bool, stop: bool, reply) -> int:
    cpu = vm.cpu
    vm.system.dispatcher.stop_guest(vm)
    reset_cpu(cpu, clear)
    set_adstop(vm, None)
    for device in vm.devices.values():
        device.reset()
    cpu.mem[0:8] = IPL_CCW
    cpu.mem[channel.CAW_ADDR : channel.CAW_ADDR + 4] = bytes(4)
    cc = channel.start_io_sio(vm, vaddr)
    csw = bytes(cpu.mem[channel.CSW_ADDR : channel.CSW_ADDR + 8])
    reset_cpu(cpu, clear=False)  # the IPL's ending interruption is not presented
    if cc != 0 or bytes(cpu.mem[0:8]) == IPL_CCW:
        raise CommandError(f"DMKCFG047E IPL UNIT ERROR; CSW {csw.hex().upper()}", 47)
    cpu.mem[2:4] = vaddr.to_bytes(2, "big")  # IPL device address (BC mode)
    _load_parm(cpu, parm)
    vm.ipled = f"{vaddr:03X}"
    vm.ipl_psw_pending = stop  # STOP: BEGIN will load the PSW from location 0
    if not stop:
        cpu.load_psw(bytes(cpu.mem[0:8]))
    _stop_or_go(vm, stop)
    vm.system.dispatcher.start_s370(vm)
    return 0


def _stop_or_go(vm, stop: bool) -> None:
    """After an IPL the VM runs, or with STOP waits in CP READ for BEGIN."""
    if stop:
        vm.halt()
    else:
        vm.console.leave_cp()


def _load_parm(cpu, parm: str) -> None:
    """IPL PARM: up to 64 EBCDIC bytes into R0-R15, starting at R0's high byte."""
    if not parm:
        return
    data = to_ebcdic(parm[:PARM_MAX]).ljust(PARM_MAX, b"\x40")
    for r in range(16):
        cpu.gpr[r] = int.from_bytes(data[4 * r : 4 * r + 4], "big")


def reset_vm(vm, clear: bool) -> None:
    """System reset: the guest task ends, devices reset, the VM stays in CP READ."""
    vm.system.dispatcher.stop_guest(vm)
    reset_cpu(vm.cpu, clear)
    set_adstop(vm, None)
    for device in vm.devices.values():
        device.reset()
    vm.ipled = ""
    vm.halt()
