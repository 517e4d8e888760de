// name: release
// purpose: Give the write marker back when a write ends (finished or failed), if this writer still holds it.
// params: token - the writer's token
// returns: nothing
MATCH (m:Meta {name: 'load'})
WHERE m.writer_token = $token
SET m.writing = false, m.writer_token = ''
