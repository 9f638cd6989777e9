if redis.call('exists', 'lock') == 1 then return redis.error_reply('busy') elseif 1 then end
redis.log(redis.LOG_WARNING, string.rep('x', 3), tostring(nil), type({}))
return redis.status_reply(string.upper(string.sub('abc', 2)))