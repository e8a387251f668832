exports.current = function (req, res) {
  res.json({ user: { username: 'jake' } });
};

exports.login = function (req, res) {
  const { user } = req.body;
  if (!user || user.password !== 'secret') throw new Error('email or password is invalid');
  res.json({ user: { email: user.email, token: 'jwt' } });
};

exports.register = async function (req, res) {
  res.status(201).json({ user: req.body.user });
};
