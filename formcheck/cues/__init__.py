"""Policy the analyzers read, and every word a user reads or hears.

- :mod:`.thresholds` -- every threshold: value, unit, source (user overrides by name).
- :mod:`.judge` -- the one judgement of a number against its target (good / watch /
  work_on); the analyzers call it, everything else shows what it said.
- :mod:`.format` -- the one number formatter (decimals and units).
- :mod:`.accuracy` -- each running metric's validated uncertainty at the clip's frame
  rate, read from the validation harness's ``accuracy.json`` (words in
  :mod:`.words_accuracy`).
- :mod:`.findings` -- the evaluator of finding rule tables; the tables are in
  :mod:`.running` (running) and :mod:`.exercises` (strength exercises).
- :mod:`.words`, :mod:`.words_running`, :mod:`.words_exercises` -- the sentences:
  disclaimers, statuses, set-up tips, notes about a recording, training context,
  live and spoken cues, finding targets and messages.
"""
