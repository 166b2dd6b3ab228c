// Command intake runs the intake service against external Kafka and MongoDB,
// configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and OTEL_* variables, and
// INTAKE_MATCH_KEY, the secret repeat reports are matched on, and INTAKE_DATA_KEY,
// the AES-256 key (base64) personal data is sealed with at rest, with
// INTAKE_OLD_DATA_KEYS, the keys it was sealed with before a rotation.
//
// `intake reseal`, with the same configuration, is the re-seal job: it moves
// every record still under an old key to INTAKE_DATA_KEY and exits
// (docs/privacy.md).
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/services/intake"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "reseal" {
		os.Exit(bootstrap.Main(intake.Name, intake.Reseal))
	}
	os.Exit(bootstrap.Main(intake.Name, intake.Run))
}
