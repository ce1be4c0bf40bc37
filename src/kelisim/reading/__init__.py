"""Reading a text: entities, places, ethnic groups, quotes and the outlet a text credits."""
