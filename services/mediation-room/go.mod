module fengqiao.dev/services/mediation-room

go 1.26.8
