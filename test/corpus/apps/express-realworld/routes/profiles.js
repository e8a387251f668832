const router = require('express').Router();
const auth = require('./auth');

router.get('/:username', auth.optional, function (req, res) {
  res.json({ profile: { username: req.params.username } });
});

router.post('/:username/follow', auth.required, function (req, res) {
  res.json({ profile: { username: req.params.username, following: true } });
});

module.exports = router;
