say 'a'
x = undefinedfunc(1)
