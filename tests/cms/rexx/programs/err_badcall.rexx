say left('abc', -1)
