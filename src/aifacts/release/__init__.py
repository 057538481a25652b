"""Making and describing releases: the JSON forms and descriptor (:mod:`.build`), what
changed between two releases (:mod:`.diff`), how to cite one (:mod:`.citation`) and
exports to other formats (:mod:`.export`)."""
