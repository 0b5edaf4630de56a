"""``vm370 bench``: the CPU's speed in MIPS on instruction mixes, and
Hercules' speed on the same programs.

``vm370 bench`` runs the standard 25-instruction mixed loop Hercules was
measured with (/work/shared/reference/cython-core.md section 8): loads and
stores, register and storage arithmetic, compares, taken and untaken
branches, MVC/CLC, IC/STC, AND/OR/XOR, shifts and BCT.  ``--all`` adds a
mix per instruction class (decimal, floating point, long moves and
translation, program interruptions, SVC interruptions, supervisor
instructions) and, when Hercules is installed, runs each program under
Hercules in the same invocation and prints the ratio.

Every mix is one storage image, identical for both machines: a prologue at
X'800' loads every register (R12 the code base X'1000', R13 the data base
X'2000', R15 the iteration count, the others 0) and branches to the loop;
the loop ends with BCT 15 and a LPSW of the disabled-wait PSW at X'100'.
SVC and program interruptions go to a handler at X'3000' that loads the old
PSW again.  Both machines must end with the same registers (a line says so
when they do not).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field

PROLOGUE_AT = 0x800
REGS_AT = 0x900  # R0-R15 for the prologue's LM
CODE = 0x1000
DATA = 0x2000
HANDLER = 0x3000
WAIT_PSW_AT = 0x100
IMAGE_SIZE = 0x4800
WAIT_PSW = bytes.fromhex("0002000000000000")
#: LM 0,15,X'900' (every register, so both machines start alike) ;
#: LA 3,X'800'(13) (a page of its own for SSK/ISK) ; BR 12
PROLOGUE = bytes.fromhex("980F09004130D80007FC")
LOOP_END = (("46F0C000", "BCT   15,0(12)"), ("82000100", "LPSW  X'100'       disabled wait"))


@dataclass(frozen=True)
class Mix:
    """One benchmark program: the loop body (hex, assembler) before the
    closing BCT, its data, new PSWs, and how many iterations make about a
    second's work for the compiled CPU."""

    name: str
    title: str
    body: tuple
    iterations: int
    data: dict = field(default_factory=dict)  # address -> bytes
    handler: int = 0  # instructions the interruption handler runs per iteration

    def image(self, iterations: int) -> bytes:
        mem = bytearray(IMAGE_SIZE)
        code = bytes.fromhex("".join(h for h, _ in self.body + LOOP_END))
        mem[CODE : CODE + len(code)] = code
        mem[PROLOGUE_AT : PROLOGUE_AT + len(PROLOGUE)] = PROLOGUE
        regs = (0,) * 12 + (CODE, DATA, 0, iterations)
        mem[REGS_AT : REGS_AT + 64] = b"".join(r.to_bytes(4, "big") for r in regs)
        mem[WAIT_PSW_AT : WAIT_PSW_AT + 8] = WAIT_PSW
        for addr, data in self.data.items():
            mem[addr : addr + len(data)] = data
        return bytes(mem)

    @property
    def per_iteration(self) -> int:
        return len(self.body) + 1 + self.handler


def _psw_to(address: int) -> bytes:
    """A BC-mode, key 0, disabled supervisor PSW at ``address``."""
    return bytes(4) + address.to_bytes(4, "big")


STANDARD = Mix(
    "standard",
    "25-instruction mix",
    (
        ("5810D000", "L     1,0(13)"),
        ("5A10D004", "A     1,4(13)"),
        ("5010D008", "ST    1,8(13)"),
        ("1821", "LR    2,1"),
        ("1A21", "AR    2,1"),
        ("1B21", "SR    2,1"),
        ("4130D010", "LA    3,16(13)"),
        ("5910D008", "C     1,8(13)"),
        ("4770C01E", "BC    7,X'1E'(12)      not taken (CC 0)"),
        ("D207D020D000", "MVC   32(8,13),0(13)"),
        ("D507D020D000", "CLC   32(8,13),0(13)"),
        ("4780C02E", "BC    8,X'2E'(12)      taken (CC 0)"),
        ("4340D000", "IC    4,0(13)"),
        ("4240D028", "STC   4,40(13)"),
        ("5440D000", "N     4,0(13)"),
        ("5640D004", "O     4,4(13)"),
        ("5740D000", "X     4,0(13)"),
        ("89400003", "SLL   4,3"),
        ("88400002", "SRL   4,2"),
        ("1E54", "ALR   5,4"),
        ("1954", "CR    5,4"),
        ("4700C000", "BC    0,0(12)          never taken"),
        ("4860D000", "LH    6,0(13)"),
        ("4060D02C", "STH   6,44(13)"),
    ),
    4_000_000,
    {DATA: bytes.fromhex("0000000100000002")},
)

DECIMAL = Mix(
    "decimal",
    "PACK AP SP MP DP ZAP CVB CVD MVC ED",
    (
        ("F274D010D000", "PACK  16(8,13),0(5,13)   12345"),
        ("F222D018D008", "PACK  24(3,13),8(3,13)   678"),
        ("FA72D010D018", "AP    16(8,13),24(3,13)"),
        ("FB72D010D018", "SP    16(8,13),24(3,13)"),
        ("FC72D010D018", "MP    16(8,13),24(3,13)"),
        ("FD72D010D018", "DP    16(8,13),24(3,13)"),
        ("F872D048D018", "ZAP   72(8,13),24(3,13)"),
        ("4F10D048", "CVB   1,72(13)"),
        ("4E10D048", "CVD   1,72(13)"),
        ("D205D040D030", "MVC   64(6,13),48(13)    the edit pattern"),
        ("DE05D040D018", "ED    64(6,13),24(13)"),
    ),
    200_000,
    {DATA: bytes.fromhex("F1F2F3F4F5000000F6F7F8"), DATA + 0x30: bytes.fromhex("402020212020")},
)

FLOAT = Mix(
    "float",
    "LD AD MD DD STD LE AE ME DE STE",
    (
        ("6800D000", "LD    0,0(13)            1.0"),
        ("6A00D008", "AD    0,8(13)            + 2.0"),
        ("6C00D010", "MD    0,16(13)           * 3.0"),
        ("6D00D010", "DD    0,16(13)           / 3.0"),
        ("6000D018", "STD   0,24(13)"),
        ("7820D020", "LE    2,32(13)"),
        ("7A20D024", "AE    2,36(13)"),
        ("7C20D028", "ME    2,40(13)"),
        ("7D20D028", "DE    2,40(13)"),
        ("7020D02C", "STE   2,44(13)"),
    ),
    300_000,
    {
        DATA: bytes.fromhex(
            "4110000000000000"
            "4120000000000000"
            "4130000000000000"
            "0000000000000000"
            "41100000"
            "41200000"
            "41300000"
        )
    },
)

LONG = Mix(
    "long",
    "MVCL CLCL TR TRT of 256 bytes",
    (
        ("4120D100", "LA    2,256(13)          to"),
        ("41300100", "LA    3,256"),
        ("4140D000", "LA    4,0(13)            from"),
        ("1853", "LR    5,3"),
        ("0E24", "MVCL  2,4"),
        ("4120D100", "LA    2,256(13)"),
        ("41300100", "LA    3,256"),
        ("4140D000", "LA    4,0(13)"),
        ("1853", "LR    5,3"),
        ("0F24", "CLCL  2,4"),
        ("DCFFD100D200", "TR    256(256,13),512(13)  identity table"),
        ("DDFFD000D300", "TRT   0(256,13),768(13)    no byte found"),
    ),
    150_000,
    {DATA: bytes(range(256)), DATA + 0x200: bytes(range(256))},
)

PROGRAM_CHECKS = Mix(
    "program",
    "operation exception + LPSW of the old PSW",
    (
        ("0000", "DC    H'0'               operation exception"),
        ("41101001", "LA    1,1(1)"),
    ),
    1_500_000,
    {0x68: _psw_to(HANDLER), HANDLER: bytes.fromhex("82000028")},
    handler=1,
)

SVCS = Mix(
    "svc",
    "SVC + LPSW of the old PSW",
    (
        ("0A01", "SVC   1"),
        ("41101001", "LA    1,1(1)"),
    ),
    1_500_000,
    {0x60: _psw_to(HANDLER), HANDLER: bytes.fromhex("82000020")},
    handler=1,
)

SUPERVISOR = Mix(
    "supervisor",
    "SSK ISK SSM LPSW (no DAT)",
    (
        ("0823", "SSK   2,3"),
        ("0943", "ISK   4,3"),
        ("8000D020", "SSM   32(13)             stays disabled"),
        ("8200D028", "LPSW  40(13)             to the next instruction"),
        ("41101001", "LA    1,1(1)"),
    ),
    1_500_000,
    {DATA + 0x20: bytes(8), DATA + 0x28: _psw_to(CODE + 0x0C)},
)

MIXES = (STANDARD, DECIMAL, FLOAT, LONG, PROGRAM_CHECKS, SVCS, SUPERVISOR)
#: Kept for callers of the old single-loop bench.
LOOP = STANDARD.body + LOOP_END[:1]


def load_cpu(cpu_module, iterations, mix=STANDARD):
    """A CPU with the mix's image loaded, started at the prologue."""
    cpu = cpu_module.CPU(storage_size=1 << 16)
    image = mix.image(iterations)
    cpu.mem[: len(image)] = image
    cpu.interval_timer_on = False
    cpu.load_psw(_psw_to(PROLOGUE_AT))
    return cpu


def measure(cpu_module, iterations, mix=STANDARD):
    """Run the mix once; returns (instructions, seconds)."""
    instructions, seconds, _ = measure_cpu(cpu_module, iterations, mix)
    return instructions, seconds


def measure_cpu(cpu_module, iterations, mix=STANDARD, clock=time.perf_counter):
    """Run the mix once; returns (instructions, seconds, final registers).
    ``clock`` is the elapsed time, or time.thread_time for the CPU time of
    the thread that runs the CPU (``--cpu-time``)."""
    from s390.exits import EXIT_DISABLED_WAIT

    cpu = load_cpu(cpu_module, iterations, mix)
    t0 = clock()
    reason = cpu.run(mix.per_iteration * iterations * 3 + 100)
    seconds = clock() - t0
    if reason != EXIT_DISABLED_WAIT or cpu.get_psw()[5:] != bytes(3):
        raise RuntimeError(
            f"{mix.name} mix ended with exit reason {reason}, PSW {cpu.get_psw().hex().upper()}"
        )
    return cpu.instructions, seconds, list(cpu.gpr)


class HerculesBench:
    """Hercules 3.13 running the same images (the driver is
    /work/shared/tools/hercules_run370.py, or HERCULES_RUN370)."""

    def __init__(self, cpu_time=False):
        import importlib.util
        import os

        self.cpu_time = cpu_time

        path = os.environ.get("HERCULES_RUN370", "/work/shared/tools/hercules_run370.py")
        spec = importlib.util.spec_from_file_location("hercules_run370", path)
        self.driver = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.driver)
        # CPU thread at our priority (the driver's default, Hercules' 15, is
        # niced: on a loaded machine Hercules would lose the comparison).
        self.hercules = self.driver.Hercules(mainsize=2, cpuprio=0, hard_timeout=3600)
        self.hercules.__enter__()
        # Program checks would each log HHCCP014I: Hercules is measured quiet.
        self.hercules.command("ostailor quiet")
        self.overhead = self._run(STANDARD, 1)["seconds"]

    def _thread_seconds(self):
        """CPU time of each thread of the Hercules process (schedstat, ns)."""
        import os

        times = {}
        task_dir = f"/proc/{self.hercules.proc.pid}/task"
        for task in os.listdir(task_dir):
            try:
                with open(f"{task_dir}/{task}/schedstat") as f:
                    times[task] = int(f.read().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                pass  # a thread that ended meanwhile
        return times

    def _cpu_thread_seconds(self, before):
        """The CPU time the busiest Hercules thread (its CPU thread) got
        since ``before`` (a _thread_seconds() result)."""
        after = self._thread_seconds()
        return max((t - before.get(task, 0.0) for task, t in after.items()), default=0.0)

    def _run(self, mix, iterations):
        self.hercules.load(mix.image(iterations), 0)
        self.hercules.install_traps()  # a stray interruption ends in a wait at X'EE00xx'
        before = self._thread_seconds() if self.cpu_time else {}
        result = self.hercules.run(_psw_to(PROLOGUE_AT), timeout=600)
        if self.cpu_time:
            result["seconds"] = self._cpu_thread_seconds(before)
        else:
            result["seconds"] = result["elapsed_s"]
        if result["status"] != "wait" or result["wait_psw"][10:] != "000000":
            raise RuntimeError(f"Hercules: {mix.name} mix ended {dict(result)}")
        return result

    def measure(self, mix, iterations, instructions, registers):
        """(instructions, seconds) for the mix under Hercules, less the
        command round trip of an almost empty run, and the general
        registers that differ from ours at the end (none: same work done)."""
        result = self._run(mix, iterations)
        differ = [r for r in range(16) if result["gpr"][r] != registers[r]]
        return (instructions, max(1e-6, result["seconds"] - self.overhead)), differ

    def close(self):
        self.hercules.__exit__(None, None, None)


def hercules_available() -> bool:
    import os

    return shutil.which("hercules") is not None and os.path.exists(
        os.environ.get("HERCULES_RUN370", "/work/shared/tools/hercules_run370.py")
    )


def _mips(runs):
    return statistics.median(n / s / 1e6 for n, s in runs)


def bench_all(module, compiled, repeat, scale, with_hercules, cpu_time=False):
    """One line per mix: our MIPS, Hercules' MIPS and the ratio.  With
    ``cpu_time`` both sides are timed by the CPU time their CPU thread got
    (this thread; Hercules' busiest thread), not the elapsed time: on a
    machine other work shares, the ratio then says less about the load."""
    hercules = HerculesBench(cpu_time) if with_hercules else None
    build = "compiled" if compiled else "pure"
    clock = time.thread_time if cpu_time else time.perf_counter
    print(
        f"vm370 bench --all: {build} build, median of {repeat} runs per mix"
        + (", Hercules 3.13 in the same run" if hercules else ", without Hercules")
        + (", CPU time" if cpu_time else ", elapsed time")
    )
    print(f"{'mix':<11} {'instructions':>13} {'vm370 MIPS':>10} {'Hercules':>9} {'ratio':>6}  what")
    try:
        for mix in MIXES:
            iterations = max(1, int(mix.iterations * scale * (1 if compiled else 0.01)))
            ours, theirs, differ = [], [], []
            for _ in range(repeat):  # interleaved, so load changes hit both alike
                instructions, seconds, registers = measure_cpu(module, iterations, mix, clock)
                ours.append((instructions, seconds))
                if hercules:
                    run, differ = hercules.measure(mix, iterations, instructions, registers)
                    theirs.append(run)
            line = f"{mix.name:<11} {ours[0][0]:>13,} {_mips(ours):>10.1f}"
            if hercules:
                line += f" {_mips(theirs):>9.1f} {_mips(ours) / _mips(theirs):>6.2f}"
            else:
                line += f" {'-':>9} {'-':>6}"
            note = f" (registers differ from Hercules': {differ})" if differ else ""
            print(line + f"  {mix.title}{note}", flush=True)
    finally:
        if hercules:
            hercules.close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="vm370 bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="loop iterations of the standard mix (25 instructions each)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument(
        "--pure",
        action="store_true",
        help="measure the uncompiled .py even when the compiled module exists",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every mix, and Hercules on the same programs when installed",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="with --all: multiply every mix's iteration count"
    )
    parser.add_argument("--no-hercules", action="store_true", help="with --all: vm370 only")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="with --all: time both CPU threads by the CPU time they got, not the elapsed time",
    )
    args = parser.parse_args(argv)
    from s390 import purepy

    module = purepy.load_pure("s390.cpu") if args.pure else purepy.import_cpu()
    compiled = purepy.is_compiled(module)
    if args.all:
        bench_all(
            module,
            compiled,
            args.repeat,
            args.scale,
            hercules_available() and not args.no_hercules,
            args.cpu_time,
        )
        return 0
    iterations = args.iterations or (STANDARD.iterations if compiled else 40_000)
    runs = [measure(module, iterations) for _ in range(args.repeat)]
    mips = [n / s / 1e6 for n, s in runs]
    build = "compiled" if compiled else "pure"
    print(
        f"vm370 bench: {build} build, {len(LOOP)}-instruction mixed loop, "
        f"{runs[0][0]:,} instructions x {args.repeat} runs"
    )
    print(
        f"MIPS: {statistics.median(mips):.1f} (median; runs: "
        + ", ".join(f"{m:.1f}" for m in mips)
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
