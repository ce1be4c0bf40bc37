"""Early warning: stories and events, the incident registry, the tension index, baselines,
alerts and their delivery. See docs/method.md ("Early warning")."""
