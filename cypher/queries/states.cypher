// name: states
// purpose: Every state with its name, memberships and capital coordinates, by code.
// access: aggregate - no offender ids; every role may run it
// returns: code, name, eu, schengen, selec, lat, lon
MATCH (s:State)
RETURN s.code AS code, s.name AS name, s.eu AS eu, s.schengen AS schengen, s.selec AS selec, s.lat AS lat,
  s.lon AS lon
ORDER BY code
