// Command intake runs the intake service against external Kafka and MongoDB,
// configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_* variables, and
// INTAKE_MATCH_KEY, the secret repeat reports are matched on, and INTAKE_DATA_KEY,
// the AES-256 key (base64) personal data is sealed with at rest.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/intake"
)

func main() { os.Exit(bootstrap.Main(intake.Name, intake.Run)) }
