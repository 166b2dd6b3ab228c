module fengqiao.dev/services/referral

go 1.26.8
