while false do end repeat local x = 1 until x
return redis.pcall('set', KEYS[1], ARGV[1], 'EX', 10)