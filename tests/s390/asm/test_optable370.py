"""Every mnemonic of IBM HLASM's OPTABLE(370) assembles (the System/370 machine
instructions without the vector facility), with the object code GNU as makes of the
same instruction (corpus.json, recorded by make_corpus.py); the rows the CPU does not
install are operation exceptions when executed."""

from __future__ import annotations

import json
import os

import pytest

from s390.asm import assemble
from s390.optable import BY_MNEMONIC, OPCODES, TABLE

from .helpers import code_of, messages

#: HLASM OPTABLE(370) machine mnemonics (HLASM Language Reference, "Machine
#: instruction mnemonic codes", S/370 column), without the extended branch mnemonics.
OPTABLE_370 = """
A AD ADR AE AER AH AL ALR AP AR AU AUR AW AWR AXR BAL BALR BAS BASR BC BCR BCT BCTR
BXH BXLE C CD CDR CDS CE CER CH CL CLC CLCL CLI CLM CLR CLRCH CLRIO CONCS CP CR CS
CVB CVD D DD DDR DE DER DIAG DISCS DP DR ED EDMK EPAR ESAR EX HDR HDV HER HIO IAC IC
ICM IPK IPTE ISK ISKE IVSK L LA LASP LCDR LCER LCR LCTL LD LDR LE LER LH LM LNDR LNER
LNR LPDR LPER LPR LPSW LR LRA LRDR LRER LTDR LTER LTR M MC MD MDE MDER MDR ME MER MH
MP MR MVC MVCIN MVCK MVCL MVCP MVCS MVI MVN MVO MVZ MXD MXDR MXR N NC NI NR O OC OI
OR PACK PC PT PTLB RDD RIO RRB RRBE S SCK SCKC SD SDR SE SER SH SIGP SIO SIOF SL SLA
SLDA SLDL SLL SLR SP SPKA SPM SPT SPX SR SRA SRDA SRDL SRL SRP SSAR SSK SSKE SSM ST
STAP STC STCK STCKC STCM STCTL STD STE STH STIDC STIDP STM STNSM STOSM STPT STPX SU
SUR SVC SW SWR SXR TB TCH TIO TM TPROT TR TRT TS UNPK WRD X XC XI XR ZAP
""".split()

#: What could not be assembled before these rows joined the table.
ADDED = set(
    """IPK SPKA ISKE RRBE SSKE IVSK TPROT TB MVCIN MVCK MVCP MVCS SPX STPX STAP CLRCH
RIO RDD WRD CONCS DISCS PC PT SAC SSAR EPAR ESAR IAC IPTE LASP MDE MDER""".split()
)

with open(os.path.join(os.path.dirname(__file__), "corpus.json")) as _f:
    CORPUS = json.load(_f)


def test_every_optable_370_mnemonic_is_in_the_one_table():
    assert set(OPTABLE_370) | ADDED <= set(BY_MNEMONIC)
    assert len(ADDED) == 32  # and PTLB, which wanted an operand


@pytest.mark.parametrize("mnemonic", sorted(set(OPTABLE_370) | ADDED))
def test_every_optable_370_mnemonic_matches_gnu_as(mnemonic):
    rows = [e for e in CORPUS if e["asm"].split()[0] == mnemonic]
    assert rows, f"{mnemonic} missing from corpus.json (run make_corpus.py)"
    for e in rows:
        assert code_of(e["asm"]).hex() == e["bytes"], e


def test_ptlb_and_ipk_take_no_operand():
    assert code_of("PTLB").hex() == "b20d0000"
    assert code_of("IPK").hex() == "b20b0000"
    result = assemble("T CSECT\n PTLB 0(1)\n END\n")
    assert messages(result) == ["ASMA062E"]


def test_mde_and_mder_are_other_names_for_me_and_mer():
    assert code_of("MDE 2,100(1,2)") == code_of("ME 2,100(1,2)")
    assert code_of("MDER 2,4") == code_of("MER 2,4")


def test_rows_outside_the_cpu_are_marked_not_installed():
    installed = {op.mnemonic for op in OPCODES}
    absent = {op.mnemonic for op in TABLE if not op.installed}
    assert absent == ADDED - {"MDE", "MDER"}
    assert not absent & installed


@pytest.mark.parametrize("mnemonic", ["SPKA", "MVCIN", "RDD", "TPROT", "IPK", "CLRCH", "SSKE"])
def test_an_absent_facility_is_an_operation_exception(cpu_module, mnemonic):
    from tests.s390.conftest import make_cpu

    row = next(e for e in CORPUS if e["asm"].split()[0] == mnemonic)
    cpu = make_cpu(cpu_module, row["bytes"].upper() + "0000 0000")
    assert cpu.run(5) == cpu_module.EXIT_PROGRAM
    assert cpu.exit_code == 1  # operation exception, also in the supervisor state


def test_disassembly_of_the_new_formats_assembles_back():
    from s390.disasm import decode

    for e in CORPUS:
        data = bytes.fromhex(e["bytes"])
        n, text = decode(data)
        assert n == len(data)
        assert code_of(text) == data, (e, text)
