const router = require('express').Router();
const auth = require('./auth');

const ARTICLES = { 'how-to-train-your-dragon': { title: 'How to train your dragon' } };

router.get('/', auth.optional, function (req, res) {
  res.json({ articles: Object.values(ARTICLES), articlesCount: 1 });
});

router.post('/', auth.required, function (req, res) {
  res.status(201).json({ article: req.body.article });
});

router.get('/:article', auth.optional, function (req, res, next) {
  const article = ARTICLES[req.params.article];
  if (!article) return next(Object.assign(new Error(`article ${req.params.article} not found`), { status: 404 }));
  res.json({ article });
});

router.put('/:article', auth.required, function (req, res) {
  res.json({ article: req.body.article });
});

router.delete('/:article', auth.required, (req, res) => {
  res.sendStatus(204);
});

router.post('/:article/favorite', auth.required, (req, res) => {
  res.json({ favorited: true });
});

router.get('/:article/comments', auth.optional, (req, res) => {
  res.json({ comments: [] });
});

module.exports = router;
