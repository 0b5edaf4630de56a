/* stems and compound variables */
a. = 'default'
a.1 = 'one'
i = 2; a.i = 'two'
say a.1 a.2 a.3
drop a.1
say a.1
j = 'x y'
b.j = 'spaced'
say b.j b.x
c.1.2 = 'c12'; m = 1; n = 2
say c.m.n c.1.2 c.n.m
drop a.
say a.2 symbol('a.2') symbol('a.') symbol('zz') symbol('1abc') symbol('a b')
d.0 = 3; do k = 1 to d.0; d.k = k*k; end
s = ''; do k = 1 to d.0; s = s d.k; end; say s
e.abc = 5; xx = 'ABC'; say e.xx e.abc
say value('d.2') value('d.' || 3)
call value 'newvar', 'set by value'
say newvar
old = value('newvar', 'changed'); say old newvar
k = 7; f.k.k = 'seven'; say f.7.7
x.= 0; x.5 = x.5 + 1; x.5 = x.5 + 1; say x.5 x.6
say symbol('x.5') symbol('x.99')
drop x.5; say x.5
g.='g'; drop g.; say g.1
h = 'h'; drop h; say h
