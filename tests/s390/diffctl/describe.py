"""Human-readable differences between a recorded (Hercules) result and
ours: the log is decoded record by record (interruptions and checkpoints)."""

from tests.s390.diffctl import gen

INT_NAMES = {
    gen.TAG_EXTERNAL: "external",
    gen.TAG_SVC: "svc",
    gen.TAG_PROGRAM: "program",
    gen.TAG_RESTART: "restart",
}


def storage(image, runs):
    """The compared ranges after the run: the image with the changed runs."""
    mem = bytearray(image)
    for addr, hexdata in runs:
        data = bytes.fromhex(hexdata)
        mem[addr : addr + len(data)] = data
    return mem


def log_records(mem):
    """[(offset, text)] for each log record up to the first empty one."""
    out = []
    a = gen.LOG
    while a < gen.LOG_END:
        tag = mem[a]
        if tag == gen.TAG_CHECKPOINT:
            r = mem[a : a + gen.CHECKPOINT_RECORD]
            regs = " ".join(r[4 + 4 * i : 8 + 4 * i].hex().upper() for i in range(12))
            out.append(
                (
                    a,
                    "checkpoint mask %02X balr %s cr0 %s gpr %s"
                    % (r[1], r[52:56].hex().upper(), r[56:60].hex().upper(), regs),
                )
            )
            a += gen.CHECKPOINT_RECORD
        elif tag in INT_NAMES:
            r = mem[a : a + gen.INT_RECORD]
            out.append(
                (
                    a,
                    "%-8s old PSW %s  84-8F %s  94-9F %s"
                    % (
                        INT_NAMES[tag],
                        r[4:12].hex().upper(),
                        r[12:24].hex().upper(),
                        r[24:36].hex().upper(),
                    ),
                )
            )
            a += gen.INT_RECORD
        else:
            break
    return out


def describe_difference(case, expected, ours):
    lines = []
    for key in ("status", "psw"):
        if expected[key] != ours[key]:
            lines.append("%s: hercules %s, ours %s" % (key, expected[key], ours[key]))
    for i, (e, o) in enumerate(zip(expected["gpr"], ours["gpr"])):
        if e != o:
            lines.append("GR%d: hercules %s, ours %s" % (i, e, o))
    exp_mem = storage(case.image, expected["mem"])
    our_mem = storage(case.image, ours["mem"])
    exp_log = log_records(exp_mem)
    our_log = log_records(our_mem)
    for i in range(max(len(exp_log), len(our_log))):
        e = exp_log[i] if i < len(exp_log) else (None, "(none)")
        o = our_log[i] if i < len(our_log) else (None, "(none)")
        if e != o:
            lines.append("log record %d differs:\n  hercules %s\n  ours     %s" % (i, e[1], o[1]))
            break
    for addr, length in ((gen.DATA, gen.DATA_END - gen.DATA), (gen.DUMP, gen.DUMP_LEN)):
        diffs = [a for a in range(addr, addr + length) if exp_mem[a] != our_mem[a]]
        if diffs:
            lines.append(
                "storage %06X-%06X: hercules %s, ours %s"
                % (
                    diffs[0],
                    diffs[-1],
                    exp_mem[diffs[0] : diffs[-1] + 1].hex().upper()[:64],
                    our_mem[diffs[0] : diffs[-1] + 1].hex().upper()[:64],
                )
            )
    return "\n".join(lines)
