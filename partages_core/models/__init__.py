"""WP3/WP4 foundation models trained on the commons: tokenizers, MLM encoder, causal LM with LoRA,
fine-tuning heads (token/sequence classification) and model cards, all saved in Hugging Face format."""
