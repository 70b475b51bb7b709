#!/bin/sh
# Pull the latest model weights from the fleet cache.
curl -fsS -H "Authorization: Bearer sk-q7W8e9R0t1q7W8e9R0t1q7W8e9R0t1q7W8e9R0t1" http://10.0.0.31:8080/models
