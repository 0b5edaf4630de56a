"""Unit tests of the host interface: errors, halt, host commands, the
stack, shared variables, tracing."""

from __future__ import annotations

import threading

import pytest

from cms.rexx import Interpreter, ProgramStack


def run(source, args=None, **options):
    out, err = [], []
    options.setdefault("output", out.append)
    options.setdefault("trace_output", err.append)
    interp = Interpreter(source.strip("\n").split("\n"), **options)
    result = interp.run(args)
    return out, err, result


# --- errors -------------------------------------------------------------------


def test_label_not_found_message_names_program_and_line():
    out, err, result = run("say 'a'\n\n signal nowhere", name="PROFILE", filetype="EXEC")
    assert out == ["a"]
    assert err == [
        "     3 +++ signal nowhere",
        "Error 16 running PROFILE EXEC, line 3: Label not found",
    ]
    assert result.error.number == 16 and result.return_code == 20016


def test_error_traceback_lists_calling_clauses():
    out, err, result = run("call sub\nexit\nsub:\n  x = 1 +\n  return", name="T")
    assert err[-1] == "Error 35 running T EXEC, line 4: Invalid expression"
    assert result.error.line == 4


def test_runtime_error_in_called_routine_shows_call_chain():
    out, err, result = run("call sub\nexit\nsub:\n  y = 'a' + 1\n  return", name="T")
    assert err == [
        "     4 +++   y = 'a' + 1".replace("   y", " y"),
        "     1 +++ call sub",
        "Error 41 running T EXEC, line 4: Bad arithmetic conversion",
    ]


@pytest.mark.parametrize(
    "source, number",
    [
        ("x = 'abc", 6),
        ("do i = 1 to 3\nsay i", 14),
        ("end", 10),
        ("else say 1", 8),
        ("when 1 then nop", 9),
        ("select\nsay 1\nend", 7),
        ("if 1 say 2", 18),
        ("x = substr('abc', 0)", 40),
        ("x = nosuchfunction()", 43),
        ("x = (1 + 2", 36),
        ("x = 1 / 0", 42),
        ("say 'a' = 'b' & 2", 34),
        ("numeric digits 'x'", 26),
        ("trace z", 24),
        ("1abc = 5", 31),
        ("x = '1g'x", 15),
        ("procedure", 17),
        ("leave", 28),
        ("x = f()\nexit\nf: return", 45),
        ("x = f()\nexit\nf: nop", 44),
        ("do 'x'; end", 26),
        ("parse value 'a' with 'x' 1.5", 38),
        ("say )", 37),
        ("numeric nonsense", 25),
        ("do a. = 1 to 2; end", 32),
    ],
)
def test_syntax_errors_have_their_standard_numbers(source, number):
    out, err, result = run(source)
    assert result.error is not None and result.error.number == number
    assert err[-1].startswith(f"Error {number} running PROGRAM EXEC")


def test_syntax_trap_catches_error_with_rc_and_sigl():
    out, _, result = run("signal on syntax\nx = 1 +\nexit\nsyntax: say rc sigl errortext(rc)")
    assert out == ["35 2 Invalid expression"]
    assert result.error is None


def test_interpreter_defects_never_escape_as_python_exceptions(monkeypatch):
    from cms.rexx import builtins

    monkeypatch.setitem(builtins.FUNCTIONS, "BOOM", (lambda ex, a: 1 / 0, 0, 0))
    out, err, result = run("say boom()")
    assert result.error.number == 49
    assert err[-1].startswith("Error 49 running")


# --- halt -----------------------------------------------------------------------


def test_halt_check_stops_an_infinite_loop_with_error_4():
    calls = {"n": 0}

    def halt():
        calls["n"] += 1
        return calls["n"] == 1000

    out, err, result = run("do forever; nop; end", halt=halt)
    assert result.error.number == 4
    assert err[-1] == "Error 4 running PROGRAM EXEC, line 1: Program interrupted"


def test_halt_condition_can_be_trapped():
    flags = iter([False] * 50 + [True])
    out, _, result = run(
        "signal on halt\ni = 0\ndo forever; i = i + 1; end\n"
        "halt: say 'halted' condition('C') (i > 0)",
        halt=lambda: next(flags, False),
    )
    assert out == ["halted HALT 1"]


def test_request_halt_from_another_thread_stops_the_program():
    interp_box = {}
    started = threading.Event()

    def output(text):
        started.set()

    interp = Interpreter(
        ["say 'go'", "do forever; end"], output=output, trace_output=lambda t: None
    )
    interp_box["i"] = interp
    thread = threading.Thread(target=lambda: interp_box.setdefault("r", interp.run()))
    thread.start()
    started.wait(5)
    interp.request_halt()
    thread.join(5)
    assert not thread.is_alive()
    assert interp_box["r"].error.number == 4


# --- host commands -------------------------------------------------------------------


def test_default_host_refuses_commands_with_rc_minus_3_failure():
    out, err, result = run("'ERASE X Y A'\nsay rc")
    assert out == ["-3"]
    assert err == ["     1 *-* 'ERASE X Y A'", "       +++ RC(-3) +++"]


def test_host_command_gets_environment_and_sets_rc():
    seen = []

    def host(env, command):
        seen.append((env, command))
        return 28 if "NOFILE" in command else 0

    out, _, _ = run(
        "'LISTFILE * EXEC'\nsay rc\naddress cp 'QUERY TIME'\n"
        "address command\n'STATE NOFILE X'\nsay rc address()",
        host_command=host,
    )
    assert seen == [("CMS", "LISTFILE * EXEC"), ("CP", "QUERY TIME"), ("COMMAND", "STATE NOFILE X")]
    assert out == ["0", "28 COMMAND"]


def test_error_and_failure_conditions_follow_the_rc_sign():
    def host(env, command):
        return int(command)

    out, _, _ = run(
        "call on error\ncall on failure\n'4'\n'-2'\n'0'\nexit\n"
        "error: say 'error' rc sigl condition('D'); return\n"
        "failure: say 'failure' rc sigl; return",
        host_command=host,
    )
    assert out == ["error 4 3 4", "failure -2 4"]


def test_failure_falls_back_to_error_trap():
    out, _, _ = run("signal on error\n'X'\nexit\nerror: say 'error trap' rc")
    assert out == ["error trap -3"]


def test_trace_inhibit_skips_commands():
    seen = []
    out, _, _ = run("trace !\n'SOMETHING'\nsay rc", host_command=lambda e, c: seen.append(c) or 5)
    assert seen == [] and out == ["0"]


# --- the stack and PULL ----------------------------------------------------------------


def test_stack_is_shared_with_the_host_and_pull_falls_back_to_input():
    stack = ProgramStack()
    stack.queue("from host")
    lines = iter(["typed line"])
    out, _, _ = run(
        "pull a\nsay a\npush 'x'; queue 'y'\nsay queued()\nparse pull b\nsay b",
        stack=stack,
        input=lambda: next(lines, None),
    )
    assert out == ["FROM HOST", "2", "x"]
    assert stack.lines() == ["y"]


def test_pull_reads_input_when_stack_is_empty():
    out, _, _ = run(
        "parse pull a\nsay '['a']'\npull c\nsay '['c']'", input=iter(["Typed", None]).__next__
    )
    assert out == ["[Typed]", "[]"]


def test_stack_buffers_like_cms():
    stack = ProgramStack()
    stack.queue("a")
    assert stack.make_buffer() == 1
    stack.queue("b")
    stack.push("c")
    assert stack.lines() == ["c", "a", "b"][:0] + ["c", "b", "a"][:0] + stack.lines()
    assert stack.lines() == ["c", "b", "a"]
    stack.drop_buffer()
    assert stack.lines() == ["a"]
    stack.clear()
    assert stack.queued() == 0 and stack.pull() is None


# --- shared variables (EXECCOMM) ----------------------------------------------------------


def test_host_command_reads_and_sets_stem_variables():
    holder = {}

    def host(env, command):
        interp = holder["interp"]
        if command.startswith("EXECIO"):
            count = int(interp.get_variable("N"))
            for i in range(1, count + 1):
                interp.set_variable(f"LINE.{i}", f"record {i}")
            interp.set_variable("LINE.0", str(count))
            return 0
        values = [interp.get_variable(f"OUT.{i}") for i in (1, 2)]
        holder["written"] = values
        interp.drop_variable("OUT.1")
        return 0

    interp = Interpreter(
        [
            "n = 2",
            "'EXECIO * DISKR'",
            "do i = 1 to line.0; say line.i; end",
            "out.1 = 'x'; out.2 = 'y'",
            "'WRITE'",
            "say symbol('out.1')",
        ],
        host_command=host,
        output=(out := []).append,
    )
    holder["interp"] = interp
    interp.run()
    assert out == ["record 1", "record 2", "LIT"]
    assert holder["written"] == ["x", "y"]


def test_shared_variables_see_the_procedure_that_issued_the_command():
    holder = {}

    def host(env, command):
        holder["seen"] = holder["interp"].get_variable("LOCAL")
        holder["names"] = dict(holder["interp"].variables())
        return 0

    interp = Interpreter(
        [
            "local = 'main'",
            "call sub",
            "exit",
            "sub: procedure",
            "local = 'sub'",
            "'CMD'",
            "return",
        ],
        host_command=host,
        output=lambda t: None,
    )
    holder["interp"] = interp
    interp.run()
    assert holder["seen"] == "sub"
    assert holder["names"] == {"LOCAL": "sub"}


def test_bad_variable_name_is_a_value_error():
    interp = Interpreter(["'CMD'"], host_command=lambda e, c: interp.get_variable("1BAD"))
    result = interp.run()
    assert result.error is not None  # the host's ValueError surfaces as Error 49


# --- PARSE SOURCE, ARG, EXIT ----------------------------------------------------------------


def test_parse_source_uses_host_names():
    out, _, _ = run("parse source s\nsay s", name="PROFILE", filetype="EXEC", filemode="A")
    assert out == ["CMS COMMAND PROFILE EXEC A PROFILE CMS"]


def test_exit_value_becomes_return_code():
    _, _, result = run("exit 12")
    assert result.value == "12" and result.return_code == 12


def test_arguments_reach_arg():
    out, _, _ = run("arg a b\nsay a '/' b '/' arg(1)", args=["one two three"])
    assert out == ["ONE / TWO THREE / one two three"]


def test_external_routine_from_host():
    sources = {"DOUBLE": ["arg n", "return n * 2"]}
    out, _, _ = run(
        "say double(21)\ncall double 5\nsay result", external=lambda name: sources.get(name)
    )
    assert out == ["42", "10"]


# --- trace -------------------------------------------------------------------------------


def test_trace_results_and_intermediates():
    _, err, _ = run("trace r\nx = 1 + 2\ntrace i\ny = x * 2")
    assert err == [
        "     2 *-* x = 1 + 2",
        '       >>>   "3"',
        "     3 *-* trace i",
        "     4 *-* y = x * 2",
        '       >V>   "3"',
        '       >L>   "2"',
        '       >O>   "6"',
        '       >>>   "6"',
    ]


def test_trace_labels_and_request_trace():
    _, err, _ = run("trace l\ncall a\nexit\na: return")
    assert err == ["     4 *-* a:"]


def test_trace_function_returns_and_sets():
    out, _, _ = run("say trace()\nsay trace('?R')\nsay trace('O')\nsay trace()")
    assert out == ["N", "N", "?R", "O"]


def test_recursion_depth_is_limited_not_a_crash():
    _, err, result = run("call r\nexit\nr: call r")
    assert result.error.number == 11


def test_interactive_trace_pauses_and_runs_typed_lines():
    typed = iter(["say 'x is' x", "", "x = 99", "trace off"])
    out, err, _ = run(
        "trace ?r\nx = 1\nx = x + 1\nsay x\nsay 'end'", input=lambda: next(typed, None)
    )
    assert out == ["x is 1", "99", "end"]
    assert err[0].startswith("       +++ Interactive trace.")
    assert "     2 *-* x = 1" in err and "     3 *-* x = x + 1" in err


# --- DATE and TIME with a fixed clock -----------------------------------------------


def _fixed(interp, stamps):
    values = iter(stamps)
    interp.clock = lambda: next(values)


def test_date_options_at_a_fixed_time():
    import datetime

    stamp = datetime.datetime(2026, 3, 5, 14, 7, 9, 123456).timestamp()
    out = []
    interp = Interpreter(
        [
            "do o = 1 to 12; opt = substr('BCDEJLMNOSUW', o, 1); say opt date(opt); end",
            "say date()",
        ],
        output=out.append,
    )
    interp.clock = lambda: stamp
    interp.run()
    assert out == [
        "B 739679",
        "C 9561",
        "D 64",
        "E 05/03/26",
        "J 26064",
        "L 5 March 2026",
        "M March",
        "N 5 Mar 2026",
        "O 26/03/05",
        "S 20260305",
        "U 03/05/26",
        "W Thursday",
        "5 Mar 2026",
    ]


def test_time_options_and_elapsed_clock():
    import datetime

    base = datetime.datetime(2026, 3, 5, 14, 7, 9, 123456).timestamp()
    out = []
    interp = Interpreter(
        [
            "say time() time('C') time('H') time('M') time('S') time('L')",
            "say time('E')",
            "say time('E')",
            "say time('R')",
            "say time('E')",
        ],
        output=out.append,
    )
    _fixed(interp, [base] * 6 + [base, base + 2.5, base + 4, base + 4.25])
    interp.run()
    assert out == [
        "14:07:09 2:07pm 14 847 50829 14:07:09.123456",
        "0",
        "2.500000",
        "4.000000",
        "0.250000",
    ]


# --- EBCDIC character codes (CMS) -------------------------------------------------------


def test_ebcdic_codepage_for_hex_strings_conversions_and_order():
    out, _, _ = run(
        "say 'C1C2'x c2x('a1') x2c('F1F2') c2d('A') d2c(129)\n"
        "say ('a' < 'A') ('1' > 'Z') ('a' << 'A') bitor('a', '40'x)\n"
        "say c2x(xrange('a', 'c')) translate('abc') (left(xrange(), 2) == '0001'x)",
        codepage="cp037",
    )
    assert out == ["AB 81F1 12 193 a", "1 1 1 A", "818283 ABC 1"]


def test_latin1_is_the_default_codepage():
    out, _, _ = run("say c2x('a1') ('a' < 'A') '41'x")
    assert out == ["6131 0 A"]


def test_host_variable_access_reaches_a_running_external_routine():
    holder = {}

    def host(env, command):
        holder["interp"].set_variable("FROMHOST", "set")
        return 0

    sources = {"SUB": ["'CMD'", "return fromhost"]}
    interp = Interpreter(
        ["say sub() symbol('fromhost')"],
        host_command=host,
        external=sources.get,
        output=(out := []).append,
    )
    holder["interp"] = interp
    interp.run()
    assert out == ["set LIT"]


def test_upper_instruction_and_parse_upper_change_only_a_to_z():
    out, _, _ = run(
        "a = 'mixed Case é'; b = 'x'\nupper a b unset\nsay a b symbol('unset')\n"
        "parse upper value 'straße' with c\nsay c length(c)"
    )
    assert out == ["MIXED CASE é X LIT", "STRAßE 6"]
    _, _, result = run("upper a.")
    assert result.error.number == 32


def test_host_functions_extend_the_built_ins():
    out, _, _ = run(
        "say diag(8, 'QUERY TIME') linesize() externals()",
        functions={"diag": lambda args: "->" + "|".join(args), "externals": lambda args: 2},
        linesize=132,
    )
    assert out == ["->8|QUERY TIME 132 2"]


def test_deep_recursion_of_a_thousand_levels_works():
    out, _, result = run(
        "say depth(0)\nexit\ndepth: procedure\n  arg n\n"
        "  if n >= 900 then return n\n  return depth(n + 1)"
    )
    assert result.error is None and out == ["900"]


@pytest.mark.parametrize(
    "source",
    [
        "x = copies('abc', 999999999)",
        "x = left('a', 99999999)",
        "x = 'ab'\ndo forever; x = x || x; end",
        "x = space(copies('a ', 1000), 99999999)",
        "x = format(1, , 99999999)",
    ],
)
def test_strings_beyond_virtual_storage_are_error_5(source):
    _, err, result = run(source)
    assert result.error.number == 5
    assert err[-1].endswith("Machine storage exhausted")


def test_bench_runs(capsys):
    from bench import rexx_clauses as bench

    assert bench.main(["200"]) == 0
    assert "clauses" in capsys.readouterr().out


def test_error_in_external_routine_names_that_program_once():
    sources = {"BAD": ["x = 1", "return x + 'a'"]}
    out, err, result = run(
        "say 'start'\ncall bad\nsay 'not reached'", name="MAIN", external=sources.get
    )
    assert out == ["start"]
    assert err == [
        "     2 +++ return x + 'a'",
        "     2 +++ call bad",
        "Error 41 running BAD EXEC, line 2: Bad arithmetic conversion",
    ]
    assert result.return_code == 20041


def test_call_on_error_handler_runs_after_the_last_clause_too():
    out, _, _ = run(
        "call on error\n'X'\nexit\nerror: say 'handled' rc; return", host_command=lambda e, c: 1
    )
    assert out == ["handled 1"]
    out, _, result = run("call on error\nsay 'first'\n'X'", host_command=lambda e, c: 1)
    assert out == ["first"] and result.error.number == 16  # no ERROR label


def test_trace_indents_by_nesting_and_scan_runs_nothing():
    _, err, _ = run("trace r\ndo 1\n  if 1 then x = 5\nend")
    assert err == [
        "     2 *-* do 1",
        '       >>>   "1"',
        "     3 *-*   if 1",
        '       >>>     "1"',
        "     3 *-*     x = 5",
        '       >>>       "5"',
        "     4 *-* end",
    ]
    out, err, result = run("say 'a'\ntrace s\nsay 'b'\ndo i = 1 to 3\n  say i\nend")
    assert out == ["a"] and result.error is None
    assert err == [
        "     3 *-* say 'b'",
        "     4 *-* do i = 1 to 3",
        "     5 *-*   say i",
        "     6 *-* end",
    ]


def test_request_trace_changes_tracing_at_the_next_clause():
    holder = {}

    def host(env, command):
        holder["interp"].request_trace("R")  # TS typed while the EXEC runs
        return 0

    err = []
    interp = Interpreter(
        ["'CMD'", "x = 2"], host_command=host, output=lambda t: None, trace_output=err.append
    )
    holder["interp"] = interp
    interp.run()
    assert err == ["     2 *-* x = 2", '       >>>   "2"']


def test_trace_numbers_suppress_output_and_skip_pauses():
    _, err, _ = run("trace r\ntrace -2\na = 1\nb = 2\nc = 3")
    assert err == [
        "     2 *-* trace -2",
        '       >>>   "-2"',
        "     5 *-* c = 3",
        '       >>>   "3"',
    ]
    typed = iter(["trace 2", "", ""])
    reads = []

    def read():
        reads.append(1)
        return next(typed, None)

    out, _, _ = run("trace ?a\nx = 1\ny = 2\nz = 3\nsay x y z", input=read)
    assert out == ["1 2 3"]
    assert len(reads) == 3  # pause after x = 1 reads "trace 2"; y, z skipped


def test_time_calls_in_one_clause_see_the_same_moment():
    out, _, _ = run("say (time('L') == time('L')) (date('S') time('L') == date('S') time('L'))")
    assert out == ["1 1"]


def test_double_minus_is_two_operators_not_a_comment():
    # Regina takes "--" as a line comment; in REXX it is minus, prefix minus
    out, _, _ = run("say 1--1 5 -- 2")
    assert out == ["2 7"]  # 1 - -1, then 5 - -2


def test_structural_error_found_on_reading_shows_its_line():
    out, err, result = run("say 'never'\ndo i = 1 to 3\n  say i", name="LOOP")
    assert out == []  # the program does not start
    assert err == [
        "     2 +++ do i = 1 to 3",
        "Error 14 running LOOP EXEC, line 2: Incomplete DO/SELECT/IF",
    ]


def test_arg_with_one_target_takes_the_whole_first_argument():
    source = """
        call one '  mixed Case  ', 'second'
        call one
        call one , 'only second'
        call dot 'x'
        say f('a b')
        trace r
        call one 'traced'
        exit
        one: arg v; say '['v']'; return
        dot: arg .; say 'dot'; return
        f: parse lower arg w; return w
    """
    out, err, _ = run("\n".join(line[8:] for line in source.strip("\n").split("\n")))
    assert out == ["[  MIXED CASE  ]", "[]", "[]", "dot", "a b", "[TRACED]"]
    assert '       >>>   "TRACED"' in err
