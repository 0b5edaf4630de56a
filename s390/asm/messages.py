"""Assembler diagnostics: one table of message ids, severities and texts.

Ids and wording follow IBM High Level Assembler (SC26-4941, "Assembler messages");
the last letter is the severity: I 0, W 4, E 8, S 12.  The assembly return code is
the highest severity seen (GA: "ASMA return codes").
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY = {"I": 0, "W": 4, "E": 8, "S": 12}

#: id -> text (``{}`` is filled with the offending item).
MESSAGES = {
    "ASMA017W": "Undefined keyword parameter; default to positional, including keyword - {}",
    "ASMA018S": "Duplicate keyword in macro call; last value is used - {}",
    "ASMA020E": "Illegal register - {}",
    "ASMA023E": "Symbol too long, or first character not a letter - {}",
    "ASMA024E": "Invalid variable symbol - {}",
    "ASMA028E": "Invalid displacement - {}",
    "ASMA029E": "Incorrect register specification - {}",
    "ASMA030E": "Invalid literal usage - {}",
    "ASMA031E": "Invalid immediate or mask field - {}",
    "ASMA032E": "Relocatable value or unresolved symbol found when absolute value required - {}",
    "ASMA034E": "Operand {} beyond active USING range by {} bytes",
    "ASMA035S": "Invalid delimiter - {}",
    "ASMA037E": "Illegal self-defining value - {}",
    "ASMA038S": "Operand value falls outside of current section/LOCTR - {}",
    "ASMA039S": "Location counter error - {}",
    "ASMA041E": "Term expected; text is unclassifiable - {}",
    "ASMA042E": "Length attribute of symbol is unavailable; default=1 - {}",
    "ASMA043E": "Previously defined symbol - {}",
    "ASMA044E": "Undefined symbol - {}",
    "ASMA045W": "Register or label not previously used - {}",
    "ASMA047E": "Severe relocatability error - {}",
    "ASMA048E": "ENTRY error - {}",
    "ASMA055S": "Recursive COPY - {}",
    "ASMA057E": "Undefined operation code - {}",
    "ASMA062E": "Illegal operand format - {}",
    "ASMA063E": "No ending apostrophe - {}",
    "ASMA065E": "Unknown type - {}",
    "ASMA067S": "Illegal duplication factor - {}",
    "ASMA068S": "Length error - {}",
    "ASMA070E": "Scale modifier error - {}",
    "ASMA072E": "Data item too large - {}",
    "ASMA073E": "Precision lost - {}",
    "ASMA074E": "Illegal syntax in expression - {}",
    "ASMA076E": "Statement complexity exceeded - {}",
    "ASMA080E": "Statement is unresolvable - {}",
    "ASMA088E": "Unbalanced parentheses in macro call operand - {}",
    "ASMA089E": "Arithmetic expression contains illegal delimiter or ends prematurely - {}",
    "ASMA093E": "Substring expression 1 points past string end; default=null - {}",
    "ASMA102E": "Arithmetic term is not self-defining term; default = 0 - {}",
    "ASMA103E": "Multiplication overflow; default product = 1 - {}",
    "ASMA112S": "Invalid sequence symbol - {}",
    "ASMA114S": "Invalid COPY operand - {}",
    "ASMA119E": "Too few MEND statements in COPY code - {}",
    "ASMA121S": "COPY or macro library member not found - {}",
    "ASMA130E": "Illegal ACTR statement - {}",
    "ASMA133E": "Illegal substring reference - {}",
    "ASMA140W": "END record missing",
    "ASMA141E": "Bad character in operation code - {}",
    "ASMA142E": "Operation code not complete on first record",
    "ASMA143E": "Bad character in name field - {}",
    "ASMA147E": "Symbol too long, or first character not a letter - {}",
    "ASMA153S": "START statement illegal - CSECT already begun",
    "ASMA156S": "Only ordinary symbols, separated by commas, allowed - {}",
    "ASMA163W": "Operand not properly enclosed in quotes - {}",
    "ASMA165W": "Unexpected name field - {}",
    "ASMA170S": "Interlude error-logging capacity exceeded",
    "ASMA254I": "*** MNOTE *** {}",
    "ASMA300W": "USING overridden by a prior active USING on statement number {}",
    "ASMA301W": "Prior active USING on statement number {} overridden by this USING",
    "ASMA303W": "Multiple address resolutions may result from this USING and the USING on statement number {}",
    "ASMA307E": "No active USING for operand {}",
    "ASMA306W": "USING range overlaps implicit USING 0,0",
    "ASMA308E": "Repeated register {} nullifies prior USING range",
    "ASMA320W": "Immediate field operand may have incorrect sign or magnitude - {}",
    "ASMA432W": "Continuation statement may be in error - continuation indicator column is blank",
}


@dataclass(frozen=True)
class Diagnostic:
    """One message attached to a statement."""

    stmt: int  # statement number (0 for the assembly as a whole)
    msgid: str
    text: str
    level: int | None = None  # MNOTE severity, when it is not the id's letter

    @property
    def severity(self) -> int:
        return SEVERITY[self.msgid[-1]] if self.level is None else self.level

    def __str__(self) -> str:
        where = f"stmt {self.stmt}: " if self.stmt else ""
        return f"** {self.msgid} {where}{self.text}"


def _text(msgid: str, item: object) -> str:
    """The message text; a tuple item fills several places."""
    return (
        MESSAGES[msgid].format(*item) if isinstance(item, tuple) else MESSAGES[msgid].format(item)
    )


def diagnostic(stmt: int, msgid: str, item: object = "") -> Diagnostic:
    return Diagnostic(stmt, msgid, _text(msgid, item))


class AsmError(Exception):
    """Raised inside the assembler for one statement; carries a message id.
    Always caught by the statement loop and turned into a Diagnostic."""

    def __init__(self, msgid: str, item: object = "") -> None:
        super().__init__(_text(msgid, item))
        self.msgid = msgid
        self.item = item
