x = 'abc'
say 'start'
y = x * 2
