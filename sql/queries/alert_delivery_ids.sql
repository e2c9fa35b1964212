-- The deliveries one alert has already, by id.
SELECT id
FROM alert_deliveries
WHERE alert_id = {alert_id:String}
