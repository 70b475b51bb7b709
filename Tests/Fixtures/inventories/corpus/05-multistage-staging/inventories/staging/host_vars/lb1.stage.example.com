---
keepalived_priority: 100
keepalived_vip: 10.1.0.100
