// Middleware, as the RealWorld app's express-jwt wrappers: Express instrumentation makes INTERNAL spans of these.
function optional(req, res, next) {
  next();
}

function required(req, res, next) {
  if (req.headers.authorization !== 'Token secret') return res.status(401).json({ errors: { message: 'unauthorized' } });
  next();
}

module.exports = { optional, required };
