say 'hello'
