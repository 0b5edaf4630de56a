"""CMS: the guest users live in (a paravirtualized Conversational Monitor System).

CP runs ``cms.nucleus.ipl_cms(services, parm)`` for ``IPL CMS``; everything
outside the virtual machine is reached through those GuestServices
(docs/interfaces.md sections 3 and 5).  The parts:

    nucleus      IPL, the command loop, command resolution, ready message,
                 immediate commands (HX HT RT HI TS TE)
    commands/    the command table (name, abbreviation, DMS module, handler)
                 and the commands: files, disks, environment, spool, OS data,
                 programs, libraries, EDIT
    fs           the minidisk file system (docs/cms-disk-format.md)
    disks        accessed disks, search order, fileid resolution
    program      user programs on the S/370 CPU: storage, SVCs, abends
    svc202       the functions SVC 202 serves (the CMSLIB macros' plists)
    execs        EXEC (REXX, cms.rexx) and EXECIO
    exec1        the VM/370 EXEC 1 language (EXECs without a REXX comment)
    batch        the CMS batch machine (IPL CMS PARM BATCH)
    install      filling MAINT's 190 (S) and 19E (Y) from cms/system/
    system/      the shipped S-disk and Y-disk files (MACLIBs, samples)
    rexx/        the REXX interpreter (its own package and owner)
"""
