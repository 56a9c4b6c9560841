// Tests run in UTC whatever the machine says, so no test passes by local-time accident.
process.env.TZ = 'UTC';
