"""Reading numbers in prose: the quantities a document states (:mod:`.spotter`) and
whether a quote states a fact's value (:mod:`.agreement`)."""
