// Command mediation-room runs the mediation-room service against external
// Kafka and MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and
// OTEL_*, and MEDIATION_DATA_KEY (the AES-256 key, base64, agreements' text
// is sealed with at rest) with MEDIATION_OLD_DATA_KEYS (the keys it was
// sealed with before a rotation).
//
// `mediation-room reseal`, with the same configuration, is the re-seal job:
// it moves every agreement still under an old key to MEDIATION_DATA_KEY and
// exits (docs/privacy.md).
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	mediationroom "fengqiao.dev/services/mediation-room"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "reseal" {
		os.Exit(bootstrap.Main(mediationroom.Name, mediationroom.Reseal))
	}
	os.Exit(bootstrap.Main(mediationroom.Name, mediationroom.Run))
}
