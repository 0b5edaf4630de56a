say "a"
say left("x",
