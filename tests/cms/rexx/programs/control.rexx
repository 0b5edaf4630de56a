/* DO, SELECT, IF, LEAVE, ITERATE */
do i = 1 to 3; say 'i' i; end
do i = 10 to 1 by -3; say 'down' i; end
do i = 1 by 2 for 4; say 'for' i; end
do 3; say 'thrice'; end
do i = 1 to 10 while i < 4; say 'while' i; end
do i = 1 to 10 until i >= 3; say 'until' i; end
j = 0
do forever
  j = j + 1
  if j = 2 then iterate
  if j > 4 then leave
  say 'forever' j
end
say 'after loop i='i 'j='j
do outer = 1 to 3
  do inner = 1 to 3
    if inner = 2 then iterate outer
    if outer = 3 then leave outer
    say outer inner
  end inner
end outer
do i = 1.5 to 3 by 0.5; say 'frac' i; end
do i = 1 to 0; say 'never'; end
say 'i after empty loop' i
n = 0; do while n < 3; n = n + 1; end; say 'n' n
n = 0; do until n >= 3; n = n + 1; end; say 'n' n
do k = 1 to 3
  select
    when k = 1 then say 'one'
    when k = 2 then do
      say 'two'
      say 'still two'
    end
    otherwise say 'other' k
  end
end
if 1 then say 'yes'; else say 'no'
if 0 then say 'yes'
else say 'no'
if 1 = 1 then
  if 2 = 3 then say 'inner yes'
  else say 'inner no'
if 1 then nop; else say 'x'
do i = 1 to 3; end; say 'i' i
x = 5
do x; say 'x loop'; x = 1; end
do i = 1 to 5 by 2 for 2; say 'combo' i; end
do i = 3 to 1; say 'no'; end
select; when 0 then say 'a'; when 1 then say 'b'; otherwise say 'c'; end
