"""bench/monitoring: detection quality and throughput of the monitoring typologies (see __main__)."""
