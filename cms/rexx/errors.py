"""REXX error numbers and their texts, and the exceptions that carry them.

The texts are the ones VM/SP CMS REXX prints (SC24-5239, "REXX Language
Reference", appendix "Error Numbers and Messages"; the same as TRL2
appendix A).  ERRORTEXT(n) returns them and error messages use them.
"""

from __future__ import annotations

#: error number -> standard text (VM/SP REXX / TRL2).
ERROR_TEXTS = {
    3: "Program is unreadable",
    4: "Program interrupted",
    5: "Machine storage exhausted",
    6: 'Unmatched "/*" or quote',
    7: "WHEN or OTHERWISE expected",
    8: "Unexpected THEN or ELSE",
    9: "Unexpected WHEN or OTHERWISE",
    10: "Unexpected or unmatched END",
    11: "Control stack full",
    12: "Clause too long",
    13: "Invalid character in program",
    14: "Incomplete DO/SELECT/IF",
    15: "Invalid hexadecimal or binary constant",
    16: "Label not found",
    17: "Unexpected PROCEDURE",
    18: "THEN expected",
    19: "String or symbol expected",
    20: "Symbol expected",
    21: "Invalid data on end of clause",
    24: "Invalid TRACE request",
    25: "Invalid sub-keyword found",
    26: "Invalid whole number",
    27: "Invalid DO syntax",
    28: "Invalid LEAVE or ITERATE",
    29: "Environment name too long",
    30: "Name or string too long",
    31: 'Name starts with number or "."',
    32: "Invalid use of stem",
    33: "Invalid expression result",
    34: "Logical value not 0 or 1",
    35: "Invalid expression",
    36: 'Unmatched "(" in expression',
    37: 'Unexpected "," or ")"',
    38: "Invalid template or pattern",
    39: "Evaluation stack overflow",
    40: "Incorrect call to routine",
    41: "Bad arithmetic conversion",
    42: "Arithmetic overflow/underflow",
    43: "Routine not found",
    44: "Function did not return data",
    45: "No data specified on function RETURN",
    48: "Failure in system service",
    49: "Interpretation error",
}

#: Largest error number ERRORTEXT accepts (TRL2: 0-99).
MAX_ERROR_NUMBER = 99

#: Longest string a program may build: a virtual machine's storage is at
#: most 16 MB on S/370, so anything longer is Error 5 (storage exhausted).
MAX_STRING = 16 * 1024 * 1024

#: Longest environment name on ADDRESS (CMS: 8 characters).
MAX_ENVIRONMENT_LENGTH = 8


def error_text(number: int) -> str:
    """The standard text for an error number ('' for an unassigned one)."""
    return ERROR_TEXTS.get(number, "")


class RexxError(Exception):
    """A REXX syntax error: error number, optional detail, source line.

    Raised anywhere in the interpreter; the SYNTAX condition traps it, and if
    it is not trapped the program ends with the message from ``message()``.
    """

    def __init__(self, number: int, detail: str = "", line: int | None = None):
        super().__init__(number, detail)
        self.number = number
        self.detail = detail
        self.line = line

    @property
    def text(self) -> str:
        return error_text(self.number)

    def message(self, program: str) -> str:
        """``Error 16 running PROFILE EXEC, line 12: Label not found``."""
        where = f", line {self.line}" if self.line else ""
        return f"Error {self.number} running {program}{where}: {self.text}"


class Halted(Exception):
    """Raised inside the interpreter when the host's halt check says stop."""
