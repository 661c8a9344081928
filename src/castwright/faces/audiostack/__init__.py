"""The AudioStack face: the routes the official SDKs and the LowCodeAPI gateway call."""
