"""Language models: sentence embeddings, content classifiers, the advert writer."""
